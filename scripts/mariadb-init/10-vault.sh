# Run once by the MariaDB image on an empty data volume (sourced by its entrypoint, which
# provides docker_process_sql): the app's user gets the data vault's database too
# (`<DB_NAME>_vault`, src/vault), which the image does not create for it.
docker_process_sql --database=mysql <<SQL
CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}_vault\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`${MARIADB_DATABASE}_vault\`.* TO '${MARIADB_USER}'@'%';
SQL
