"""Every size limit of the core in one place, and the model keys only the designer reads.

The web app and the command line take their limits from here too, so a plugin that one accepts
the other never refuses for its size.
"""

# Dify refuses a package whose files add up to more than this, uncompressed.
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
# Entries read from an archive or folder (files and folders).
MAX_ENTRIES = 10_000

# One YAML file of a plugin (manifest, provider, a model, a position list).
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 100

# A design-spec document holds a whole plugin: its binary files as base64 (a third larger) and
# each imported YAML file twice (its data and its original text), so twice the package limit.
MAX_SPEC_BYTES = 2 * MAX_PACKAGE_BYTES
# A 250-model plugin's spec has about 40,000 nodes; this still stops an alias bomb.
MAX_SPEC_NODES = 1_000_000

# A model id (Dify keeps it in a 255-character column) and one name in a path (the usual file
# system limit: a longer model file name ends a build in "File name too long").
MAX_MODEL_ID_BYTES = 255
MAX_FILE_NAME_BYTES = 255

# Keys of a model that only the designer reads; they are never written into the model's YAML.
DESIGNER_MODEL_KEYS = frozenset({"path", "library"})
