"""The encrypted store: key file, SQLCipher vaults, migrations, audit trail."""
