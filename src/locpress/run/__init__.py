"""The runner: the one owner of the file system and the order of things (project layout,
reading, the parse cache, run state, the lock, atomic writes, the one retry, parallel workers)."""
