"""Pre-translation: translation memory, glossary-aware masking, machine translation
engines and their one HTTP client, the LLM engine, embargo, and the plan of what fills what."""
