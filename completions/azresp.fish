# Generated from azresp's command tree by scripts/gen_completions.py; do not edit by hand.
# Install with `azresp --install-completion`, or see docs/completions.md.

function __azresp_subcommands --argument-names cmd_path
    switch $cmd_path
        case ''
            echo chat get items delete doctor emulator completion compact auth config files history bg
        case 'auth'
            echo login status logout
        case 'config'
            echo list get set unset path profiles
        case 'files'
            echo upload list download delete
        case 'history'
            echo list show search
        case 'bg'
            echo start poll cancel stream list
    end
end

function __azresp_value_options --argument-names cmd_path
    switch $cmd_path
        case 'chat'
            string join ' ' -- --system -s --effort --summary --verbosity --max-output-tokens --tier --previous -p --attach -a --tool --tools --mcp --mcp-header --approve --image-deployment --output-dir -o --max-tool-rounds --endpoint --model -m --auth --profile --timeout
        case 'get'
            string join ' ' -- --after --endpoint --model -m --auth --profile --timeout
        case 'items'
            string join ' ' -- --limit --endpoint --model -m --auth --profile --timeout
        case 'delete'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'doctor'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'emulator'
            string join ' ' -- --host --port --api-key --state
        case 'compact'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'auth login'
            string join ' ' -- --profile --endpoint --model -m --auth
        case 'auth status'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'auth logout'
            string join ' ' -- --profile
        case 'config list'
            string join ' ' -- --profile
        case 'config get'
            string join ' ' -- --profile
        case 'config set'
            string join ' ' -- --profile
        case 'config unset'
            string join ' ' -- --profile
        case 'files upload'
            string join ' ' -- --purpose --endpoint --model -m --auth --profile --timeout
        case 'files list'
            string join ' ' -- --purpose --endpoint --model -m --auth --profile --timeout
        case 'files download'
            string join ' ' -- --output -o --endpoint --model -m --auth --profile --timeout
        case 'files delete'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'history list'
            string join ' ' -- --limit -n
        case 'history search'
            string join ' ' -- --limit -n
        case 'bg start'
            string join ' ' -- --system -s --effort --summary --verbosity --max-output-tokens --tier --previous -p --endpoint --model -m --auth --profile --timeout
        case 'bg poll'
            string join ' ' -- --interval --endpoint --model -m --auth --profile --timeout
        case 'bg cancel'
            string join ' ' -- --endpoint --model -m --auth --profile --timeout
        case 'bg stream'
            string join ' ' -- --after --endpoint --model -m --auth --profile --timeout
        case 'bg list'
            string join ' ' -- --limit --endpoint --model -m --auth --profile --timeout
    end
end

function __azresp_walk --description 'azresp: the command path and positional count so far'
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmd_path ''
    set -l expect 0
    set -l positional 0
    for token in $tokens
        if test $expect = 1
            set expect 0
        else if string match -q -- '-*' $token
            if not string match -q -- '*=*' $token
                and contains -- $token (string split ' ' -- (__azresp_value_options $cmd_path))
                set expect 1
            end
        else if test $positional = 0
            and contains -- $token (string split ' ' -- (__azresp_subcommands $cmd_path))
            set cmd_path (string trim -- "$cmd_path $token")
        else
            set positional (math $positional + 1)
        end
    end
    echo $cmd_path
    echo $positional
end

function __azresp_at --argument-names wanted --description 'azresp: is the command path this?'
    set -l walked (__azresp_walk)
    test "$walked[1]" = "$wanted"
end

function __azresp_positional --argument-names wanted --description 'azresp: positional slot?'
    set -l walked (__azresp_walk)
    test "$walked[2]" = "$wanted"
end

complete -c azresp -f
complete -c azresp -n '__azresp_at ""' -a chat -d 'Ask once, or chat in a session (no PROMPT on a terminal).'
complete -c azresp -n '__azresp_at ""' -a get -d 'Print a stored response\'s answer text.'
complete -c azresp -n '__azresp_at ""' -a items -d 'List the input items of a stored response.'
complete -c azresp -n '__azresp_at ""' -a delete -d 'Delete stored responses; each deletion is reported on stderr.'
complete -c azresp -n '__azresp_at ""' -a doctor -d 'Check the connection step by step; say what to fix.'
complete -c azresp -n '__azresp_at ""' -a emulator -d 'Run the local emulator of the Responses API.'
complete -c azresp -n '__azresp_at ""' -a completion -d 'Print or install the Tab-completion script for a shell.'
complete -c azresp -n '__azresp_at ""' -a compact -d 'Compact a conversation\'s context on the service.'
complete -c azresp -n '__azresp_at ""' -a auth -d 'Save, show or forget the endpoint, deployment and api key.'
complete -c azresp -n '__azresp_at ""' -a config -d 'Read and change settings in the config file, per profile.'
complete -c azresp -n '__azresp_at ""' -a files -d 'Upload, list, download and delete files.'
complete -c azresp -n '__azresp_at ""' -a history -d 'The local record of conversations and response ids.'
complete -c azresp -n '__azresp_at ""' -a bg -d 'Background jobs: start, poll, stream, cancel, list.'
complete -c azresp -n '__azresp_at ""' -l version -d 'Print the version.'
complete -c azresp -n '__azresp_at ""' -l install-completion -d 'Install Tab completion for your shell, then exit.'
complete -c azresp -n '__azresp_at ""' -l show-completion -d 'Print the Tab-completion script for your shell, then exit.'
complete -c azresp -n '__azresp_at ""' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "chat"' -l system -s s -x -d 'Instructions for the model.'
complete -c azresp -n '__azresp_at "chat"' -l no-store -d 'Stateless: the service keeps nothing; azresp keeps the items and replays them.'
complete -c azresp -n '__azresp_at "chat"' -l effort -x -a 'none minimal low medium high xhigh' -d 'Reasoning effort.'
complete -c azresp -n '__azresp_at "chat"' -l summary -x -a 'auto concise detailed' -d 'Show the model\'s reasoning summary.'
complete -c azresp -n '__azresp_at "chat"' -l verbosity -x -a 'low medium high' -d 'Answer length.'
complete -c azresp -n '__azresp_at "chat"' -l max-output-tokens -x -d 'Cap on output tokens (reasoning included).'
complete -c azresp -n '__azresp_at "chat"' -l tier -x -a 'auto default flex priority' -d 'Processing tier: flex (cheaper, slower), priority (faster), default, auto.'
complete -c azresp -n '__azresp_at "chat"' -l background -d 'Run it as a background job (see azresp bg) and stream it, resuming after drops; Ctrl-C leaves the job running.'
complete -c azresp -n '__azresp_at "chat"' -l no-stream -d 'Wait for the whole answer instead of streaming.'
complete -c azresp -n '__azresp_at "chat"' -l previous -s p -x -d 'Continue from this response id.'
complete -c azresp -n '__azresp_at "chat"' -l continue -s c -d 'Continue the last conversation.'
complete -c azresp -n '__azresp_at "chat"' -l no-history -d 'Record nothing in the local history (or history = false in the profile).'
complete -c azresp -n '__azresp_at "chat"' -l json -d 'Print the final Response object as JSON.'
complete -c azresp -n '__azresp_at "chat"' -l jsonl -d 'Print every stream event as one JSON line.'
complete -c azresp -n '__azresp_at "chat"' -l interactive -s i -d 'Answer PROMPT, then stay in the chat session.'
complete -c azresp -n '__azresp_at "chat"' -l resume -d 'Reopen a conversation from the local history: the last one, or the conversation (or response) id given in place of PROMPT.'
complete -c azresp -n '__azresp_at "chat"' -l vi -d 'Vi key bindings at the prompt (or vi_mode = true in the profile).'
complete -c azresp -n '__azresp_at "chat"' -l attach -s a -x -d 'Send a file or URL with the prompt (repeatable): images, PDFs, text; data files such as CSV go to the code interpreter with --code.'
complete -c azresp -n '__azresp_at "chat"' -l tool -r -F -d 'Offer the functions of a Python file as tools (repeatable).'
complete -c azresp -n '__azresp_at "chat"' -l tools -x -d 'Offer the functions of an importable module as tools (repeatable).'
complete -c azresp -n '__azresp_at "chat"' -l mcp -x -d 'A remote MCP server the service may call (repeatable).'
complete -c azresp -n '__azresp_at "chat"' -l mcp-header -x -d 'A header the service sends to that MCP server (a secret: never printed).'
complete -c azresp -n '__azresp_at "chat"' -l approve -x -a 'ask always never' -d 'Tool calls: ask before each (default), approve all (always), refuse all (never).'
complete -c azresp -n '__azresp_at "chat"' -l yes -s y -d 'Approve every tool call without asking (as --approve always).'
complete -c azresp -n '__azresp_at "chat"' -l code -d 'Let the model run Python (code interpreter).'
complete -c azresp -n '__azresp_at "chat"' -l image -d 'Let the model generate images.'
complete -c azresp -n '__azresp_at "chat"' -l image-deployment -x -d 'The image model deployment for --image (or image_deployment in the profile).'
complete -c azresp -n '__azresp_at "chat"' -l output-dir -s o -r -F -d 'Where images and files from tools are saved (default: the current directory).'
complete -c azresp -n '__azresp_at "chat"' -l max-tool-rounds -x -d 'Run tool calls for at most N rounds per prompt (default 8).'
complete -c azresp -n '__azresp_at "chat"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "chat"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "chat"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "chat"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "chat"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "chat"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "chat"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "chat"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "chat"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "chat"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "chat"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "get"' -l json -d 'Print the whole Response object as JSON.'
complete -c azresp -n '__azresp_at "get"' -l stream -d 'Replay a background response\'s stream (and follow it live), resuming after drops; as `azresp bg stream`.'
complete -c azresp -n '__azresp_at "get"' -l after -x -d 'With --stream: start after event N (its sequence_number).'
complete -c azresp -n '__azresp_at "get"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "get"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "get"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "get"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "get"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "get"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "get"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "get"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "get"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "get"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "get"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "items"' -l json -d 'Print the list object as JSON.'
complete -c azresp -n '__azresp_at "items"' -l limit -x -d 'At most this many items.'
complete -c azresp -n '__azresp_at "items"' -l newest-first -d 'List the newest item first.'
complete -c azresp -n '__azresp_at "items"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "items"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "items"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "items"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "items"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "items"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "items"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "items"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "items"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "items"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "items"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "delete"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "delete"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "delete"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "delete"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "delete"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "delete"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "delete"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "delete"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "delete"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "delete"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "delete"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "doctor"' -l json -d 'Print every check as one JSON document.'
complete -c azresp -n '__azresp_at "doctor"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "doctor"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "doctor"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "doctor"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "doctor"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "doctor"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "doctor"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "doctor"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "doctor"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "doctor"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "emulator"' -l host -x -d 'Address to listen on (loopback unless --allow-remote).'
complete -c azresp -n '__azresp_at "emulator"' -l port -x -d 'Port (0: any free one).'
complete -c azresp -n '__azresp_at "emulator"' -l allow-remote -d 'Allow a non-loopback --host (no real auth!).'
complete -c azresp -n '__azresp_at "emulator"' -l api-key -x -d 'Accept only this key (default: any non-empty key).'
complete -c azresp -n '__azresp_at "emulator"' -l state -r -F -d 'Keep stored responses and background jobs in DIR across restarts (default: in memory).'
complete -c azresp -n '__azresp_at "emulator"' -l no-compact -d 'Answer /responses/compact with 404, as an Azure resource may.'
complete -c azresp -n '__azresp_at "emulator"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "completion"' -l install -d 'Install it for your user instead of printing it.'
complete -c azresp -n '__azresp_at "completion"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "completion"; and __azresp_positional 0' -x -a 'bash zsh fish powershell'
complete -c azresp -n '__azresp_at "compact"' -l json -d 'Print the compaction object as JSON.'
complete -c azresp -n '__azresp_at "compact"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "compact"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "compact"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "compact"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "compact"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "compact"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "compact"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "compact"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "compact"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "compact"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "compact"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "auth"' -a login -d 'Save an endpoint, deployment and api key (or pick Entra ID).'
complete -c azresp -n '__azresp_at "auth"' -a status -d 'Show the endpoint, deployment and credential a command would use.'
complete -c azresp -n '__azresp_at "auth"' -a logout -d 'Remove a profile\'s stored api key; endpoint and deployment stay.'
complete -c azresp -n '__azresp_at "auth"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "auth login"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "auth login"' -l endpoint -x -d 'Azure OpenAI resource URL.'
complete -c azresp -n '__azresp_at "auth login"' -l model -s m -x -d 'Deployment name.'
complete -c azresp -n '__azresp_at "auth login"' -l with-key -d 'Read the api key from standard input.'
complete -c azresp -n '__azresp_at "auth login"' -l entra -d 'Use Microsoft Entra ID (az login, managed identity ...).'
complete -c azresp -n '__azresp_at "auth login"' -l auth -x -a 'auto key cli env mi dac' -d 'With --entra: which credential (dac: the DefaultAzureCredential chain).'
complete -c azresp -n '__azresp_at "auth login"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "auth status"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "auth status"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "auth status"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "auth status"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "auth status"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "auth status"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "auth status"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "auth status"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "auth status"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "auth status"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "auth status"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "auth logout"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "auth logout"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config"' -a list -d 'Print a profile\'s settings as key=value lines.'
complete -c azresp -n '__azresp_at "config"' -a get -d 'Print one setting of a profile; exit status 4 when it is unset.'
complete -c azresp -n '__azresp_at "config"' -a set -d 'Set a setting in a profile (default_profile: at the top level).'
complete -c azresp -n '__azresp_at "config"' -a unset -d 'Remove a setting from a profile.'
complete -c azresp -n '__azresp_at "config"' -a path -d 'Print the config file\'s path (it may not exist yet).'
complete -c azresp -n '__azresp_at "config"' -a profiles -d 'List the profiles in the config file, one name per line.'
complete -c azresp -n '__azresp_at "config"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config list"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "config list"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "config list"' -l keys -d 'List the keys a profile can set.'
complete -c azresp -n '__azresp_at "config list"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config get"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "config get"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config get"; and __azresp_positional 0' -x -a 'endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools history vi_mode timeout max_retries key_store default_profile'
complete -c azresp -n '__azresp_at "config set"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "config set"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config set"; and __azresp_positional 0' -x -a 'endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools history vi_mode timeout max_retries key_store default_profile'
complete -c azresp -n '__azresp_at "config unset"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile to work on [default: AZRESP_PROFILE, else default_profile, else \'default\']'
complete -c azresp -n '__azresp_at "config unset"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config unset"; and __azresp_positional 0' -x -a 'endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools history vi_mode timeout max_retries key_store default_profile'
complete -c azresp -n '__azresp_at "config path"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "config profiles"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "config profiles"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files"' -a upload -d 'Upload a file; prints its id.'
complete -c azresp -n '__azresp_at "files"' -a list -d 'List uploaded files: id, size, purpose, name.'
complete -c azresp -n '__azresp_at "files"' -a download -d 'Save an uploaded file to PATH (never over an existing file).'
complete -c azresp -n '__azresp_at "files"' -a delete -d 'Delete uploaded files; each deletion is reported on stderr.'
complete -c azresp -n '__azresp_at "files"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files upload"' -l purpose -x -d 'assistants (PDF inputs, code interpreter), user_data, batch, fine-tune, vision or evals.'
complete -c azresp -n '__azresp_at "files upload"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "files upload"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "files upload"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "files upload"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "files upload"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "files upload"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "files upload"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "files upload"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "files upload"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "files upload"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files upload"; and __azresp_positional 0' -r -F
complete -c azresp -n '__azresp_at "files list"' -l purpose -x -d 'Only files with this purpose.'
complete -c azresp -n '__azresp_at "files list"' -l json -d 'Print the list as JSON.'
complete -c azresp -n '__azresp_at "files list"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "files list"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "files list"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "files list"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "files list"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "files list"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "files list"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "files list"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "files list"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "files list"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files download"' -l output -s o -r -F -d 'Where to save it (never over a file).'
complete -c azresp -n '__azresp_at "files download"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "files download"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "files download"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "files download"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "files download"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "files download"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "files download"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "files download"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "files download"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "files download"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files download"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "files delete"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "files delete"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "files delete"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "files delete"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "files delete"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "files delete"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "files delete"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "files delete"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "files delete"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "files delete"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "files delete"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "history"' -a list -d 'Recent conversations: id, when, turns, and how each began.'
complete -c azresp -n '__azresp_at "history"' -a show -d 'Show a conversation\'s turns, or one turn by its response id.'
complete -c azresp -n '__azresp_at "history"' -a search -d 'Find turns by the words in their prompt or answer, newest first.'
complete -c azresp -n '__azresp_at "history"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "history list"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "history list"' -l limit -s n -x -d 'At most this many.'
complete -c azresp -n '__azresp_at "history list"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "history show"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "history show"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "history show"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "history search"' -l json -d 'Print JSON.'
complete -c azresp -n '__azresp_at "history search"' -l limit -s n -x -d 'At most this many.'
complete -c azresp -n '__azresp_at "history search"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "history search"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "bg"' -a start -d 'Start a background response; print its id and return at once.'
complete -c azresp -n '__azresp_at "bg"' -a poll -d 'Print a job\'s status; --wait waits for its answer.'
complete -c azresp -n '__azresp_at "bg"' -a cancel -d 'Cancel a job (a finished one is left as it is).'
complete -c azresp -n '__azresp_at "bg"' -a stream -d 'Stream a job\'s answer, resuming after drops.'
complete -c azresp -n '__azresp_at "bg"' -a list -d 'List the jobs started here and their status.'
complete -c azresp -n '__azresp_at "bg"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "bg start"' -l system -s s -x -d 'Instructions for the model.'
complete -c azresp -n '__azresp_at "bg start"' -l effort -x -a 'none minimal low medium high xhigh' -d 'Reasoning effort.'
complete -c azresp -n '__azresp_at "bg start"' -l summary -x -a 'auto concise detailed' -d 'Show the model\'s reasoning summary.'
complete -c azresp -n '__azresp_at "bg start"' -l verbosity -x -a 'low medium high' -d 'Answer length.'
complete -c azresp -n '__azresp_at "bg start"' -l max-output-tokens -x -d 'Cap on output tokens (reasoning included).'
complete -c azresp -n '__azresp_at "bg start"' -l tier -x -a 'auto default flex priority' -d 'Processing tier: flex (cheaper, slower), priority (faster), default, auto.'
complete -c azresp -n '__azresp_at "bg start"' -l previous -s p -x -d 'Continue from this response id.'
complete -c azresp -n '__azresp_at "bg start"' -l continue -s c -d 'Continue the last conversation.'
complete -c azresp -n '__azresp_at "bg start"' -l no-history -d 'Record nothing in the local history (or history = false in the profile).'
complete -c azresp -n '__azresp_at "bg start"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "bg start"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "bg start"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "bg start"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "bg start"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "bg start"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "bg start"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "bg start"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "bg start"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "bg start"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "bg start"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "bg poll"' -l wait -s w -d 'Wait until it ends, then print its answer.'
complete -c azresp -n '__azresp_at "bg poll"' -l interval -x -d 'Seconds between polls at first (then slower).'
complete -c azresp -n '__azresp_at "bg poll"' -l cancel-on-interrupt -d 'Ctrl-C cancels the job (by default it only stops waiting; the job goes on).'
complete -c azresp -n '__azresp_at "bg poll"' -l json -d 'Print the Response object as JSON.'
complete -c azresp -n '__azresp_at "bg poll"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "bg poll"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "bg poll"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "bg poll"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "bg poll"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "bg poll"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "bg poll"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "bg poll"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "bg poll"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "bg poll"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "bg poll"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "bg cancel"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "bg cancel"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "bg cancel"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "bg cancel"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "bg cancel"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "bg cancel"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "bg cancel"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "bg cancel"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "bg cancel"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "bg cancel"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "bg cancel"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "bg stream"' -l after -x -d 'Start after event N (its sequence_number); default: from the start.'
complete -c azresp -n '__azresp_at "bg stream"' -l jsonl -d 'Print each stream event as a JSON line.'
complete -c azresp -n '__azresp_at "bg stream"' -l cancel-on-interrupt -d 'Ctrl-C cancels the job (by default it only stops waiting; the job goes on).'
complete -c azresp -n '__azresp_at "bg stream"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "bg stream"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "bg stream"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "bg stream"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "bg stream"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "bg stream"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "bg stream"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "bg stream"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "bg stream"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "bg stream"' -l help -s h -d 'Show the help and exit.'
complete -c azresp -n '__azresp_at "bg stream"; and __azresp_positional 0' -x
complete -c azresp -n '__azresp_at "bg list"' -l refresh -d 'Ask the service for the status of unfinished jobs.'
complete -c azresp -n '__azresp_at "bg list"' -l limit -x -d 'At most this many jobs.'
complete -c azresp -n '__azresp_at "bg list"' -l json -d 'Print the jobs as JSON.'
complete -c azresp -n '__azresp_at "bg list"' -l endpoint -x -d 'Azure OpenAI resource URL [env: AZURE_OPENAI_ENDPOINT]'
complete -c azresp -n '__azresp_at "bg list"' -l model -s m -x -d 'Deployment name [env: AZURE_OPENAI_DEPLOYMENT]'
complete -c azresp -n '__azresp_at "bg list"' -l auth -x -a 'auto key cli env mi dac' -d 'auto: api key if set, else Entra ID; key; cli; env; mi; dac'
complete -c azresp -n '__azresp_at "bg list"' -l profile -x -a '(command azresp config profiles 2>/dev/null)' -d 'Profile from the config file [env: AZRESP_PROFILE]'
complete -c azresp -n '__azresp_at "bg list"' -l emulator -d 'Use the built-in local emulator instead of Azure'
complete -c azresp -n '__azresp_at "bg list"' -l timeout -x -d 'Seconds to wait for the service (default 600)'
complete -c azresp -n '__azresp_at "bg list"' -l debug -d 'Show request details and error internals (secrets masked)'
complete -c azresp -n '__azresp_at "bg list"' -l no-color -d 'No colour or live output, as with NO_COLOR'
complete -c azresp -n '__azresp_at "bg list"' -l quiet -s q -d 'No footer or notes on stderr; errors and warnings still print'
complete -c azresp -n '__azresp_at "bg list"' -l help -s h -d 'Show the help and exit.'
