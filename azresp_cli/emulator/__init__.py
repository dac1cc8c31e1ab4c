"""A local, faithful Azure OpenAI Responses API server with a deterministic model."""
