# Generated from azresp's command tree by scripts/gen_completions.py; do not edit by hand.
# Install with `azresp --install-completion`, or see docs/completions.md.
# Load it from your $PROFILE: . /path/to/azresp.ps1

$__azrespSubcommands = @{
    '' = @(@('chat', 'Ask once, or chat in a session (no PROMPT on a terminal).'), @('get', 'Print a stored response''s answer text.'), @('items', 'List the input items of a stored response.'), @('delete', 'Delete stored responses; each deletion is reported on stderr.'), @('doctor', 'Check the connection step by step; say what to fix.'), @('emulator', 'Run the local emulator of the Responses API.'), @('completion', 'Print or install the Tab-completion script for a shell.'), @('compact', 'Compact a conversation''s context on the service.'), @('auth', 'Save, show or forget the endpoint, deployment and api key.'), @('config', 'Read and change settings in the config file, per profile.'), @('files', 'Upload, list, download and delete files.'), @('history', 'The local record of conversations and response ids.'), @('bg', 'Background jobs: start, poll, stream, cancel, list.'))
    'auth' = @(@('login', 'Save an endpoint, deployment and api key (or pick Entra ID).'), @('status', 'Show the endpoint, deployment and credential a command would use.'), @('logout', 'Remove a profile''s stored api key; endpoint and deployment stay.'))
    'config' = @(@('list', 'Print a profile''s settings as key=value lines.'), @('get', 'Print one setting of a profile; exit status 4 when it is unset.'), @('set', 'Set a setting in a profile (default_profile: at the top level).'), @('unset', 'Remove a setting from a profile.'), @('path', 'Print the config file''s path (it may not exist yet).'), @('profiles', 'List the profiles in the config file, one name per line.'))
    'files' = @(@('upload', 'Upload a file; prints its id.'), @('list', 'List uploaded files: id, size, purpose, name.'), @('download', 'Save an uploaded file to PATH (never over an existing file).'), @('delete', 'Delete uploaded files; each deletion is reported on stderr.'))
    'history' = @(@('list', 'Recent conversations: id, when, turns, and how each began.'), @('show', 'Show a conversation''s turns, or one turn by its response id.'), @('search', 'Find turns by the words in their prompt or answer, newest first.'))
    'bg' = @(@('start', 'Start a background response; print its id and return at once.'), @('poll', 'Print a job''s status; --wait waits for its answer.'), @('cancel', 'Cancel a job (a finished one is left as it is).'), @('stream', 'Stream a job''s answer, resuming after drops.'), @('list', 'List the jobs started here and their status.'))
}
$__azrespOptions = @{
    '' = @(@('--version', 'Print the version.'), @('--install-completion', 'Install Tab completion for your shell, then exit.'), @('--show-completion', 'Print the Tab-completion script for your shell, then exit.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'chat' = @(@('--system', 'Instructions for the model.'), @('-s', 'Instructions for the model.'), @('--previous', 'Continue from this response id.'), @('-p', 'Continue from this response id.'), @('--continue', 'Continue the last conversation.'), @('-c', 'Continue the last conversation.'), @('--no-store', 'Stateless: the service keeps nothing; azresp keeps the items and replays them.'), @('--effort', 'Reasoning effort.'), @('--summary', 'Show the model''s reasoning summary.'), @('--verbosity', 'Answer length.'), @('--max-output-tokens', 'Cap on output tokens (reasoning included).'), @('--tier', 'Processing tier: flex (cheaper, slower), priority (faster), default, auto.'), @('--background', 'Run it as a background job (see azresp bg) and stream it, resuming after drops; Ctrl-C leaves the job running.'), @('--no-stream', 'Wait for the whole answer instead of streaming.'), @('--no-history', 'Record nothing in the local history (or history = false in the profile).'), @('--json', 'Print the final Response object as JSON.'), @('--jsonl', 'Print every stream event as one JSON line.'), @('--interactive', 'Answer PROMPT, then stay in the chat session.'), @('-i', 'Answer PROMPT, then stay in the chat session.'), @('--resume', 'Reopen a conversation from the local history: the last one, or the conversation (or response) id given in place of PROMPT.'), @('--vi', 'Vi key bindings at the prompt (or vi_mode = true in the profile).'), @('--attach', 'Send a file or URL with the prompt (repeatable): images, PDFs, text; data files such as CSV go to the code interpreter with --code.'), @('-a', 'Send a file or URL with the prompt (repeatable): images, PDFs, text; data files such as CSV go to the code interpreter with --code.'), @('--tool', 'Offer the functions of a Python file as tools (repeatable).'), @('--tools', 'Offer the functions of an importable module as tools (repeatable).'), @('--mcp', 'A remote MCP server the service may call (repeatable).'), @('--mcp-header', 'A header the service sends to that MCP server (a secret: never printed).'), @('--approve', 'Tool calls: ask before each (default), approve all (always), refuse all (never).'), @('--yes', 'Approve every tool call without asking (as --approve always).'), @('-y', 'Approve every tool call without asking (as --approve always).'), @('--code', 'Let the model run Python (code interpreter).'), @('--image', 'Let the model generate images.'), @('--image-deployment', 'The image model deployment for --image (or image_deployment in the profile).'), @('--output-dir', 'Where images and files from tools are saved (default: the current directory).'), @('-o', 'Where images and files from tools are saved (default: the current directory).'), @('--max-tool-rounds', 'Run tool calls for at most N rounds per prompt (default 8).'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'get' = @(@('--json', 'Print the whole Response object as JSON.'), @('--stream', 'Replay a background response''s stream (and follow it live), resuming after drops; as `azresp bg stream`.'), @('--after', 'With --stream: start after event N (its sequence_number).'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'items' = @(@('--json', 'Print the list object as JSON.'), @('--limit', 'At most this many items.'), @('--newest-first', 'List the newest item first.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'delete' = @(@('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'doctor' = @(@('--json', 'Print every check as one JSON document.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'emulator' = @(@('--host', 'Address to listen on (loopback unless --allow-remote).'), @('--port', 'Port (0: any free one).'), @('--allow-remote', 'Allow a non-loopback --host (no real auth!); its MCP client then calls loopback servers only.'), @('--mcp-any-host', 'With --allow-remote, let the MCP client call servers at any URL a request names, not only loopback ones.'), @('--api-key', 'Accept only this key (default: any non-empty key).'), @('--state', 'Keep stored responses and background jobs in DIR across restarts (default: in memory).'), @('--no-compact', 'Answer /responses/compact with 404, as an Azure resource may.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'completion' = @(@('--install', 'Install it for your user instead of printing it.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'compact' = @(@('--json', 'Print the compaction object as JSON.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'auth' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'auth login' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--endpoint', 'Azure OpenAI resource URL.'), @('--model', 'Deployment name.'), @('-m', 'Deployment name.'), @('--with-key', 'Read the api key from standard input.'), @('--entra', 'Use Microsoft Entra ID (az login, managed identity ...).'), @('--auth', 'With --entra: which credential (dac: the DefaultAzureCredential chain).'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'auth status' = @(@('--json', 'Print JSON.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'auth logout' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config list' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--json', 'Print JSON.'), @('--keys', 'List the keys a profile can set.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config get' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config set' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config unset' = @(@('--profile', 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else ''default'']'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config path' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'config profiles' = @(@('--json', 'Print JSON.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'files' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'files upload' = @(@('--purpose', 'assistants (PDF inputs, code interpreter), user_data, batch, fine-tune, vision or evals.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'files list' = @(@('--purpose', 'Only files with this purpose.'), @('--json', 'Print the list as JSON.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'files download' = @(@('--output', 'Where to save it (never over a file).'), @('-o', 'Where to save it (never over a file).'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'files delete' = @(@('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'history' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'history list' = @(@('--json', 'Print JSON.'), @('--limit', 'At most this many.'), @('-n', 'At most this many.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'history show' = @(@('--json', 'Print JSON.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'history search' = @(@('--json', 'Print JSON.'), @('--limit', 'At most this many.'), @('-n', 'At most this many.'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg' = @(@('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg start' = @(@('--system', 'Instructions for the model.'), @('-s', 'Instructions for the model.'), @('--previous', 'Continue from this response id.'), @('-p', 'Continue from this response id.'), @('--continue', 'Continue the last conversation.'), @('-c', 'Continue the last conversation.'), @('--effort', 'Reasoning effort.'), @('--summary', 'Show the model''s reasoning summary.'), @('--verbosity', 'Answer length.'), @('--max-output-tokens', 'Cap on output tokens (reasoning included).'), @('--tier', 'Processing tier: flex (cheaper, slower), priority (faster), default, auto.'), @('--no-history', 'Record nothing in the local history (or history = false in the profile).'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg poll' = @(@('--wait', 'Wait until it ends, then print its answer.'), @('-w', 'Wait until it ends, then print its answer.'), @('--interval', 'Seconds between polls at first (then slower).'), @('--cancel-on-interrupt', 'Ctrl-C cancels the job (by default it only stops waiting; the job goes on).'), @('--json', 'Print the Response object as JSON.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg cancel' = @(@('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg stream' = @(@('--after', 'Start after event N (its sequence_number); default: from the start.'), @('--jsonl', 'Print each stream event as a JSON line.'), @('--cancel-on-interrupt', 'Ctrl-C cancels the job (by default it only stops waiting; the job goes on).'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
    'bg list' = @(@('--refresh', 'Ask the service for the status of unfinished jobs.'), @('--limit', 'At most this many jobs.'), @('--json', 'Print the jobs as JSON.'), @('--endpoint', 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'), @('--model', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('-m', 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'), @('--auth', 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'), @('--profile', 'Profile from the config file [env: AZRESP_PROFILE]'), @('--emulator', 'Use the built-in local emulator instead of Azure'), @('--timeout', 'Seconds to wait for the service (default 600)'), @('--debug', 'Show request details and error internals (secrets masked)'), @('--no-color', 'No colour or live output, as with NO_COLOR'), @('--quiet', 'No footer or notes on stderr; errors and warnings still print'), @('-q', 'No footer or notes on stderr; errors and warnings still print'), @('--help', 'Show the help and exit.'), @('-h', 'Show the help and exit.'))
}
$__azrespValueOptions = @{
    '' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'chat' = @('--system', '-s', '--previous', '-p', '--effort', '--summary', '--verbosity', '--max-output-tokens', '--tier', '--attach', '-a', '--tool', '--tools', '--mcp', '--mcp-header', '--approve', '--image-deployment', '--output-dir', '-o', '--max-tool-rounds', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'get' = @('--after', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'items' = @('--limit', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'delete' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'doctor' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'emulator' = @('--host', '--port', '--api-key', '--state')
    'compact' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'auth login' = @('--profile', '--endpoint', '--model', '-m', '--auth')
    'auth status' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'auth logout' = @('--profile')
    'config list' = @('--profile')
    'config get' = @('--profile')
    'config set' = @('--profile')
    'config unset' = @('--profile')
    'files upload' = @('--purpose', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'files list' = @('--purpose', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'files download' = @('--output', '-o', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'files delete' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'history list' = @('--limit', '-n')
    'history search' = @('--limit', '-n')
    'bg start' = @('--system', '-s', '--previous', '-p', '--effort', '--summary', '--verbosity', '--max-output-tokens', '--tier', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'bg poll' = @('--interval', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'bg cancel' = @('--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'bg stream' = @('--after', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
    'bg list' = @('--limit', '--endpoint', '--model', '-m', '--auth', '--profile', '--timeout')
}
$__azrespValues = @{
    '|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    '|--profile' = @('@profile')
    'chat|--effort' = @('none', 'minimal', 'low', 'medium', 'high', 'xhigh')
    'chat|--summary' = @('auto', 'concise', 'detailed')
    'chat|--verbosity' = @('low', 'medium', 'high')
    'chat|--tier' = @('auto', 'default', 'flex', 'priority')
    'chat|--tool' = @('@file')
    'chat|--approve' = @('ask', 'always', 'never')
    'chat|--output-dir' = @('@dir')
    'chat|-o' = @('@dir')
    'chat|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'chat|--profile' = @('@profile')
    'get|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'get|--profile' = @('@profile')
    'items|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'items|--profile' = @('@profile')
    'delete|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'delete|--profile' = @('@profile')
    'doctor|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'doctor|--profile' = @('@profile')
    'emulator|--state' = @('@dir')
    'completion|#0' = @('bash', 'zsh', 'fish', 'powershell')
    'compact|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'compact|--profile' = @('@profile')
    'auth login|--profile' = @('@profile')
    'auth login|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'auth status|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'auth status|--profile' = @('@profile')
    'auth logout|--profile' = @('@profile')
    'config list|--profile' = @('@profile')
    'config get|--profile' = @('@profile')
    'config get|#0' = @('endpoint', 'deployment', 'auth', 'image_deployment', 'effort', 'summary', 'verbosity', 'system', 'max_output_tokens', 'tier', 'output_dir', 'approve', 'approved_tools', 'history', 'vi_mode', 'timeout', 'max_retries', 'key_store', 'default_profile')
    'config set|--profile' = @('@profile')
    'config set|#0' = @('endpoint', 'deployment', 'auth', 'image_deployment', 'effort', 'summary', 'verbosity', 'system', 'max_output_tokens', 'tier', 'output_dir', 'approve', 'approved_tools', 'history', 'vi_mode', 'timeout', 'max_retries', 'key_store', 'default_profile')
    'config unset|--profile' = @('@profile')
    'config unset|#0' = @('endpoint', 'deployment', 'auth', 'image_deployment', 'effort', 'summary', 'verbosity', 'system', 'max_output_tokens', 'tier', 'output_dir', 'approve', 'approved_tools', 'history', 'vi_mode', 'timeout', 'max_retries', 'key_store', 'default_profile')
    'files upload|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'files upload|--profile' = @('@profile')
    'files upload|#0' = @('@file')
    'files list|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'files list|--profile' = @('@profile')
    'files download|--output' = @('@file')
    'files download|-o' = @('@file')
    'files download|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'files download|--profile' = @('@profile')
    'files delete|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'files delete|--profile' = @('@profile')
    'bg start|--effort' = @('none', 'minimal', 'low', 'medium', 'high', 'xhigh')
    'bg start|--summary' = @('auto', 'concise', 'detailed')
    'bg start|--verbosity' = @('low', 'medium', 'high')
    'bg start|--tier' = @('auto', 'default', 'flex', 'priority')
    'bg start|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'bg start|--profile' = @('@profile')
    'bg poll|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'bg poll|--profile' = @('@profile')
    'bg cancel|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'bg cancel|--profile' = @('@profile')
    'bg stream|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'bg stream|--profile' = @('@profile')
    'bg list|--auth' = @('auto', 'key', 'cli', 'env', 'mi', 'dac')
    'bg list|--profile' = @('@profile')
}

function __azrespPairs($words) {
    # Each word as a (completion, tooltip) pair; the comma keeps a pair from being unrolled.
    foreach ($word in $words) { ,@($word, $word) }
}

Register-ArgumentCompleter -Native -CommandName azresp -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $before = @($commandAst.CommandElements |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } |
        ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '' -and $before.Count -gt 0) {
        $before = @($before | Select-Object -First ($before.Count - 1))
    }
    $cmdPath = ''
    $expect = $null
    $positional = 0
    foreach ($word in @($before | Select-Object -Skip 1)) {
        if ($null -ne $expect) {
            $expect = $null
        } elseif ($word.StartsWith('-')) {
            if (-not $word.Contains('=') -and $__azrespValueOptions[$cmdPath] -contains $word) {
                $expect = $word
            }
        } else {
            $names = @($__azrespSubcommands[$cmdPath] | ForEach-Object { $_[0] })
            if ($positional -eq 0 -and $names -contains $word) {
                $cmdPath = ($cmdPath + ' ' + $word).Trim()
            } else {
                $positional += 1
            }
        }
    }
    $prefix = ''
    $current = $wordToComplete
    if ($null -eq $expect -and $current -like '--*=*') {
        $name = $current.Split('=')[0]
        if ($__azrespValueOptions[$cmdPath] -contains $name) {
            $expect = $name
            $prefix = $name + '='
            $current = $current.Substring($prefix.Length)
        }
    }
    $pairs = @()
    $words = $null
    if ($null -ne $expect) {
        $words = @($__azrespValues["$cmdPath|$expect"])
    } elseif ($current.StartsWith('-')) {
        $pairs = @($__azrespOptions[$cmdPath])
    } elseif ($positional -eq 0 -and $__azrespSubcommands.ContainsKey($cmdPath)) {
        $pairs = @($__azrespSubcommands[$cmdPath])
    } else {
        $words = $__azrespValues["$cmdPath|#$positional"]
        if ($null -eq $words) {
            foreach ($key in $__azrespValues.Keys) {
                if ($key -like "$cmdPath|#*+") {
                    $first = [int]($key.Split('#')[1].TrimEnd('+'))
                    if ($positional -ge $first) { $words = $__azrespValues[$key] }
                }
            }
        }
        $words = @($words)
    }
    if ($null -ne $words) {
        if ($words.Count -ge 1 -and $words[0] -in @('@file', '@dir')) {
            return  # nothing from us: PowerShell then completes paths itself
        }
        if ($words.Count -ge 1 -and $words[0] -eq '@profile') {
            $words = @(& azresp config profiles 2>$null)
        }
        $pairs = @(__azrespPairs $words)
    }
    foreach ($pair in $pairs) {
        if ($pair[0] -like "$current*") {
            [System.Management.Automation.CompletionResult]::new(
                $prefix + $pair[0], $pair[0], 'ParameterValue', $pair[1])
        }
    }
}
