import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export interface UserRow {
  id: string;
  email: string;
  /** HMAC of the email (src/vault): what sign-in and uniqueness use. */
  emailHmac: string | null;
  emailVerifiedAt: Date | null;
  passwordHash: string;
  displayName: string;
  country: string;
  timezone: string;
  locale: string;
  roles: string;
  brandId: string | null;
  autoConvertPoints: boolean;
  erasedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface BrandRow {
  id: string;
  ownerId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuthTokenRow {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

type UserCreation = Omit<UserRow, 'createdAt' | 'updatedAt'>;
type BrandCreation = Omit<BrandRow, 'createdAt' | 'updatedAt'>;

export interface AccountModels {
  User: ModelStatic<Model<UserRow, UserCreation>>;
  Brand: ModelStatic<Model<BrandRow, BrandCreation>>;
  AuthToken: ModelStatic<Model<AuthTokenRow, AuthTokenRow>>;
}

/**
 * The accounts models, bound to this Sequelize instance only (`sequelize.define`, not a global
 * class's `init`), so two instances in one process (tests, tools) never share a binding.
 */
export function defineAccountModels(sequelize: Sequelize): AccountModels {
  const User = sequelize.define<Model<UserRow, UserCreation>>(
    'User',
    {
      id: { type: DataTypes.STRING(40), primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      emailHmac: { type: DataTypes.CHAR(64), allowNull: true },
      erasedAt: { type: DataTypes.DATE(3), allowNull: true },
      emailVerifiedAt: { type: DataTypes.DATE(3), allowNull: true },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      displayName: { type: DataTypes.STRING(100), allowNull: false },
      country: { type: DataTypes.CHAR(2), allowNull: false },
      timezone: { type: DataTypes.STRING(64), allowNull: false },
      locale: { type: DataTypes.STRING(16), allowNull: false },
      roles: { type: DataTypes.STRING(200), allowNull: false },
      brandId: { type: DataTypes.STRING(40), allowNull: true },
      autoConvertPoints: { type: DataTypes.BOOLEAN, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'users', underscored: true },
  );
  const Brand = sequelize.define<Model<BrandRow, BrandCreation>>(
    'Brand',
    {
      id: { type: DataTypes.STRING(40), primaryKey: true },
      ownerId: { type: DataTypes.STRING(40), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'brands', underscored: true },
  );
  const AuthToken = sequelize.define<Model<AuthTokenRow, AuthTokenRow>>(
    'AuthToken',
    {
      tokenHash: { type: DataTypes.CHAR(64), primaryKey: true },
      userId: { type: DataTypes.STRING(40), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'auth_tokens', underscored: true, updatedAt: false },
  );
  return { User, Brand, AuthToken };
}
