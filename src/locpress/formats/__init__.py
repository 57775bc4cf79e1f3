"""Source formats: bytes of a release -> Document (Markdown, plain text, HTML, Word), the
segmenter, and the one module of protected-span patterns. Knows nothing above it."""
