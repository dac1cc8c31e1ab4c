"""A local, faithful Azure OpenAI Responses API server with a deterministic model.

Start it with `runner.start_in_thread()` (tests, `--emulator`) or `runner.serve()` (the
`azresp emulator` command). It imports nothing else from azresp_cli and never the openai
SDK. DIRECTIVES.md lists what the scripted model answers and the faults it can inject.

How a request flows through the modules:

- `runner`: binds the loopback socket, runs uvicorn; `config`: EmulatorConfig, RecordedRequest
- `app`: the route table; `gateway`: request ids, recording, auth, fault planning
- `create_route`, `resource_routes`, `extra_routes`: the endpoints; `wire`: their helpers
- `params`, `inputs`, `context`: validating the body, the input items, and the chain
- `conversation`, `model`, `longform`, `schema_example`, `tokens`: the scripted model
- `events`: the event script of a response; `runs`, `eventlog`, `sse`: playing it out
- `attachments`, `sniff`: files and images in the input, checked and described
- `tool_turn`, `hosted`: the hosted tools of a response; `tools_mcp` + `mcp_client` (remote
  MCP), `tools_code` + `csv_analysis` (code interpreter), `tools_image` + `png` (images)
- `files`, `files_routes`, `containers`, `container_routes`, `paging`: the Files and
  Containers APIs; `demo_mcp`: a small real MCP server for tests and demos
- `store`, `state`, `objects`, `sealed`, `ids`, `errors`, `faults`, `directives`: the rest
- with a state directory: `statedb` (one SQLite database in WAL mode), `persistence` and
  `kept_store` (responses written through and read back), `owners` (which process runs a job)
"""
