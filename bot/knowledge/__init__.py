"""Knowledge: company and job documents chunked into Chroma, retrieved with their sources."""
