"""Quality checks: the registry of checks (their names live in locpress.findings), the
glossary, and the rules each check applies to one catalog."""
