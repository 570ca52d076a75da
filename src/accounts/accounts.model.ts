import { DataTypes, Model, type Sequelize } from 'sequelize';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  displayName: string;
  country: string;
  timezone: string;
  roles: string;
  brandId: string | null;
  autoConvertPoints: boolean;
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

export class User extends Model<UserRow, Omit<UserRow, 'createdAt' | 'updatedAt'>> {}
export class Brand extends Model<BrandRow, Omit<BrandRow, 'createdAt' | 'updatedAt'>> {}
export class AuthToken extends Model<AuthTokenRow, AuthTokenRow> {}

export function initAccountModels(sequelize: Sequelize): void {
  User.init(
    {
      id: { type: DataTypes.STRING(40), primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      displayName: { type: DataTypes.STRING(100), allowNull: false },
      country: { type: DataTypes.CHAR(2), allowNull: false },
      timezone: { type: DataTypes.STRING(64), allowNull: false },
      roles: { type: DataTypes.STRING(200), allowNull: false },
      brandId: { type: DataTypes.STRING(40), allowNull: true },
      autoConvertPoints: { type: DataTypes.BOOLEAN, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'users', underscored: true },
  );
  Brand.init(
    {
      id: { type: DataTypes.STRING(40), primaryKey: true },
      ownerId: { type: DataTypes.STRING(40), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'brands', underscored: true },
  );
  AuthToken.init(
    {
      tokenHash: { type: DataTypes.CHAR(64), primaryKey: true },
      userId: { type: DataTypes.STRING(40), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'auth_tokens', underscored: true, updatedAt: false },
  );
}
