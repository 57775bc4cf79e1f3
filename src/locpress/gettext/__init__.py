"""gettext catalogs: the model, the strict reader, the canonical writer, msgmerge semantics,
headers, provenance and printf formats. Knows formats only."""
