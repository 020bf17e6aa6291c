"""A campaign built as a batch: workers, input hashes, manifest and bundle."""
