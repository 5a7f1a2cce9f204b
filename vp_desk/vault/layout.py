"""File names in a data folder. No imports: the UI reads these before its
first frame, and loading the crypto libraries can wait until unlock."""

CURRENT = "keyfile.json"
PREVIOUS = "keyfile.prev.json"
INDEX_VAULT = "index"
INDEX_FILE = "index.db"
ORG_PREFIX = "org-"
