# bash completion for azresp                                 -*- shell-script -*-
# Generated from azresp's command tree by scripts/gen_completions.py; do not edit by hand.
# Install with `azresp --install-completion`, or see docs/completions.md.

_azresp_subcommands() {
    case "$1" in
        "") _azresp_words=(chat get items delete doctor emulator completion compact auth config files mcp history templates fragments usage batch bg) ;;
        "auth") _azresp_words=(login status logout) ;;
        "config") _azresp_words=(list get set unset path profiles) ;;
        "files") _azresp_words=(upload list download delete) ;;
        "mcp") _azresp_words=(list-tools) ;;
        "history") _azresp_words=(list show search) ;;
        "templates") _azresp_words=(list show edit delete path) ;;
        "fragments") _azresp_words=(set list remove) ;;
        "batch") _azresp_words=(submit status fetch list cancel run) ;;
        "bg") _azresp_words=(start poll cancel stream list) ;;
        *) _azresp_words=() ;;
    esac
}

_azresp_options() {
    case "$1" in
        "") _azresp_words=(--version --install-completion --show-completion --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "chat") _azresp_words=(--system -s --previous -p --continue -c --no-store --effort --summary --verbosity --max-output-tokens --tier --schema --flex-fallback --max-cost --no-cache-key --background --no-stream --schema-multi --no-history --json --jsonl --interactive -i --resume --vi --attach -a --tool --tools --mcp --mcp-header --mcp-local --web-search --allow-domain --block-domain --location --approve --yes -y --code --image --image-deployment --output-dir -o --max-tool-rounds --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "get") _azresp_words=(--json --stream --after --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "items") _azresp_words=(--json --limit --newest-first --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "delete") _azresp_words=(--endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "doctor") _azresp_words=(--json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "emulator") _azresp_words=(--host --port --allow-remote --mcp-any-host --api-key --state --no-compact --rpm --tpm --debug --no-color --quiet -q --help -h) ;;
        "completion") _azresp_words=(--install --debug --no-color --quiet -q --help -h) ;;
        "compact") _azresp_words=(--json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "auth") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "auth login") _azresp_words=(--profile --endpoint --model -m --with-key --entra --auth --debug --no-color --quiet -q --help -h) ;;
        "auth status") _azresp_words=(--json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "auth logout") _azresp_words=(--profile --debug --no-color --quiet -q --help -h) ;;
        "config") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "config list") _azresp_words=(--profile --json --keys --debug --no-color --quiet -q --help -h) ;;
        "config get") _azresp_words=(--profile --debug --no-color --quiet -q --help -h) ;;
        "config set") _azresp_words=(--profile --debug --no-color --quiet -q --help -h) ;;
        "config unset") _azresp_words=(--profile --debug --no-color --quiet -q --help -h) ;;
        "config path") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "config profiles") _azresp_words=(--json --debug --no-color --quiet -q --help -h) ;;
        "files") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "files upload") _azresp_words=(--purpose --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "files list") _azresp_words=(--purpose --json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "files download") _azresp_words=(--output -o --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "files delete") _azresp_words=(--endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "mcp") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "mcp list-tools") _azresp_words=(--json --debug --no-color --quiet -q --help -h) ;;
        "history") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "history list") _azresp_words=(--json --limit -n --debug --no-color --quiet -q --help -h) ;;
        "history show") _azresp_words=(--last --json --json-data --debug --no-color --quiet -q --help -h) ;;
        "history search") _azresp_words=(--json --limit -n --debug --no-color --quiet -q --help -h) ;;
        "templates") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "templates list") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "templates show") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "templates edit") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "templates delete") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "templates path") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "fragments") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "fragments set") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "fragments list") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "fragments remove") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "usage") _azresp_words=(--since --by --json --debug --no-color --quiet -q --help -h) ;;
        "batch") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "batch submit") _azresp_words=(--system -s --previous -p --continue -c --no-store --effort --summary --verbosity --max-output-tokens --tier --schema --flex-fallback --max-cost --no-cache-key --schema-multi --no-history --column --format --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "batch status") _azresp_words=(--watch -w --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "batch fetch") _azresp_words=(--output -o --retry-failed --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "batch list") _azresp_words=(--limit --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "batch cancel") _azresp_words=(--endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "batch run") _azresp_words=(--system -s --previous -p --continue -c --no-store --effort --summary --verbosity --max-output-tokens --tier --schema --flex-fallback --max-cost --no-cache-key --schema-multi --no-history --live --jobs -j --output -o --column --format --resume --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "bg") _azresp_words=(--debug --no-color --quiet -q --help -h) ;;
        "bg start") _azresp_words=(--system -s --previous -p --continue -c --effort --summary --verbosity --max-output-tokens --tier --schema --flex-fallback --max-cost --no-cache-key --schema-multi --no-history --template -t --param --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "bg poll") _azresp_words=(--wait -w --interval --cancel-on-interrupt --json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "bg cancel") _azresp_words=(--endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "bg stream") _azresp_words=(--after --jsonl --cancel-on-interrupt --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        "bg list") _azresp_words=(--refresh --limit --json --endpoint --model -m --auth --profile --emulator --timeout --debug --no-color --quiet -q --help -h) ;;
        *) _azresp_words=() ;;
    esac
}

_azresp_value_options() {
    case "$1" in
        "") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "chat") _azresp_words=(--system -s --previous -p --effort --summary --verbosity --max-output-tokens --tier --schema --max-cost --schema-multi --attach -a --tool --tools --mcp --mcp-header --mcp-local --allow-domain --block-domain --location --approve --image-deployment --output-dir -o --max-tool-rounds --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --timeout) ;;
        "get") _azresp_words=(--after --endpoint --model -m --auth --profile --timeout) ;;
        "items") _azresp_words=(--limit --endpoint --model -m --auth --profile --timeout) ;;
        "delete") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "doctor") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "emulator") _azresp_words=(--host --port --api-key --state --rpm --tpm) ;;
        "compact") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "auth login") _azresp_words=(--profile --endpoint --model -m --auth) ;;
        "auth status") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "auth logout") _azresp_words=(--profile) ;;
        "config list") _azresp_words=(--profile) ;;
        "config get") _azresp_words=(--profile) ;;
        "config set") _azresp_words=(--profile) ;;
        "config unset") _azresp_words=(--profile) ;;
        "files upload") _azresp_words=(--purpose --endpoint --model -m --auth --profile --timeout) ;;
        "files list") _azresp_words=(--purpose --endpoint --model -m --auth --profile --timeout) ;;
        "files download") _azresp_words=(--output -o --endpoint --model -m --auth --profile --timeout) ;;
        "files delete") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "history list") _azresp_words=(--limit -n) ;;
        "history search") _azresp_words=(--limit -n) ;;
        "usage") _azresp_words=(--since --by) ;;
        "batch submit") _azresp_words=(--system -s --previous -p --effort --summary --verbosity --max-output-tokens --tier --schema --max-cost --schema-multi --column --format --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --timeout) ;;
        "batch status") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "batch fetch") _azresp_words=(--output -o --endpoint --model -m --auth --profile --timeout) ;;
        "batch list") _azresp_words=(--limit --endpoint --model -m --auth --profile --timeout) ;;
        "batch cancel") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "batch run") _azresp_words=(--system -s --previous -p --effort --summary --verbosity --max-output-tokens --tier --schema --max-cost --schema-multi --jobs -j --output -o --column --format --resume --template -t --param --save --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --timeout) ;;
        "bg start") _azresp_words=(--system -s --previous -p --effort --summary --verbosity --max-output-tokens --tier --schema --max-cost --schema-multi --template -t --param --fragment -f --sf --system-fragment --endpoint --model -m --auth --profile --timeout) ;;
        "bg poll") _azresp_words=(--interval --endpoint --model -m --auth --profile --timeout) ;;
        "bg cancel") _azresp_words=(--endpoint --model -m --auth --profile --timeout) ;;
        "bg stream") _azresp_words=(--after --endpoint --model -m --auth --profile --timeout) ;;
        "bg list") _azresp_words=(--limit --endpoint --model -m --auth --profile --timeout) ;;
        *) _azresp_words=() ;;
    esac
}

_azresp_values() {
    case "$1|$2" in
        "|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "|--profile") _azresp_words=(@profile) ;;
        "chat|--effort") _azresp_words=(none minimal low medium high xhigh) ;;
        "chat|--summary") _azresp_words=(auto concise detailed) ;;
        "chat|--verbosity") _azresp_words=(low medium high) ;;
        "chat|--tier") _azresp_words=(auto default flex priority) ;;
        "chat|--tool") _azresp_words=(@file) ;;
        "chat|--approve") _azresp_words=(ask always never) ;;
        "chat|--output-dir") _azresp_words=(@dir) ;;
        "chat|-o") _azresp_words=(@dir) ;;
        "chat|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "chat|--profile") _azresp_words=(@profile) ;;
        "get|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "get|--profile") _azresp_words=(@profile) ;;
        "items|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "items|--profile") _azresp_words=(@profile) ;;
        "delete|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "delete|--profile") _azresp_words=(@profile) ;;
        "doctor|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "doctor|--profile") _azresp_words=(@profile) ;;
        "emulator|--state") _azresp_words=(@dir) ;;
        "completion|#0") _azresp_words=(bash zsh fish powershell) ;;
        "compact|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "compact|--profile") _azresp_words=(@profile) ;;
        "auth login|--profile") _azresp_words=(@profile) ;;
        "auth login|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "auth status|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "auth status|--profile") _azresp_words=(@profile) ;;
        "auth logout|--profile") _azresp_words=(@profile) ;;
        "config list|--profile") _azresp_words=(@profile) ;;
        "config get|--profile") _azresp_words=(@profile) ;;
        "config get|#0") _azresp_words=(endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools mcp_local web_search allow_domains location history vi_mode timeout max_retries max_cost flex_fallback prompt_cache_key key_store default_profile) ;;
        "config set|--profile") _azresp_words=(@profile) ;;
        "config set|#0") _azresp_words=(endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools mcp_local web_search allow_domains location history vi_mode timeout max_retries max_cost flex_fallback prompt_cache_key key_store default_profile) ;;
        "config unset|--profile") _azresp_words=(@profile) ;;
        "config unset|#0") _azresp_words=(endpoint deployment auth image_deployment effort summary verbosity system max_output_tokens tier output_dir approve approved_tools mcp_local web_search allow_domains location history vi_mode timeout max_retries max_cost flex_fallback prompt_cache_key key_store default_profile) ;;
        "files upload|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "files upload|--profile") _azresp_words=(@profile) ;;
        "files upload|#0") _azresp_words=(@file) ;;
        "files list|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "files list|--profile") _azresp_words=(@profile) ;;
        "files download|--output") _azresp_words=(@file) ;;
        "files download|-o") _azresp_words=(@file) ;;
        "files download|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "files download|--profile") _azresp_words=(@profile) ;;
        "files delete|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "files delete|--profile") _azresp_words=(@profile) ;;
        "usage|--by") _azresp_words=(day model conversation) ;;
        "batch submit|--effort") _azresp_words=(none minimal low medium high xhigh) ;;
        "batch submit|--summary") _azresp_words=(auto concise detailed) ;;
        "batch submit|--verbosity") _azresp_words=(low medium high) ;;
        "batch submit|--tier") _azresp_words=(auto default flex priority) ;;
        "batch submit|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch submit|--profile") _azresp_words=(@profile) ;;
        "batch status|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch status|--profile") _azresp_words=(@profile) ;;
        "batch fetch|--output") _azresp_words=(@file) ;;
        "batch fetch|-o") _azresp_words=(@file) ;;
        "batch fetch|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch fetch|--profile") _azresp_words=(@profile) ;;
        "batch list|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch list|--profile") _azresp_words=(@profile) ;;
        "batch cancel|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch cancel|--profile") _azresp_words=(@profile) ;;
        "batch run|--effort") _azresp_words=(none minimal low medium high xhigh) ;;
        "batch run|--summary") _azresp_words=(auto concise detailed) ;;
        "batch run|--verbosity") _azresp_words=(low medium high) ;;
        "batch run|--tier") _azresp_words=(auto default flex priority) ;;
        "batch run|--output") _azresp_words=(@file) ;;
        "batch run|-o") _azresp_words=(@file) ;;
        "batch run|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "batch run|--profile") _azresp_words=(@profile) ;;
        "bg start|--effort") _azresp_words=(none minimal low medium high xhigh) ;;
        "bg start|--summary") _azresp_words=(auto concise detailed) ;;
        "bg start|--verbosity") _azresp_words=(low medium high) ;;
        "bg start|--tier") _azresp_words=(auto default flex priority) ;;
        "bg start|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "bg start|--profile") _azresp_words=(@profile) ;;
        "bg poll|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "bg poll|--profile") _azresp_words=(@profile) ;;
        "bg cancel|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "bg cancel|--profile") _azresp_words=(@profile) ;;
        "bg stream|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "bg stream|--profile") _azresp_words=(@profile) ;;
        "bg list|--auth") _azresp_words=(auto key cli env mi dac) ;;
        "bg list|--profile") _azresp_words=(@profile) ;;
        *) _azresp_words=() ;;
    esac
}

_azresp_contains() {
    local word="$1" item
    shift
    for item in "$@"; do
        [[ $item == "$word" ]] && return 0
    done
    return 1
}

_azresp_offer() {
    # Offer the words in _azresp_words that start with $1 (files, directories or profiles
    # for the @-markers), each prefixed with $2 (an "--option=" typed in the same word).
    local cur="$1" prefix="$2" IFS=$'\n' candidate
    local -a found
    case "${_azresp_words[0]}" in
        @file) compopt -o filenames 2>/dev/null; found=($(compgen -f -- "$cur")) ;;
        @dir) compopt -o filenames 2>/dev/null; found=($(compgen -d -- "$cur")) ;;
        @profile) found=($(compgen -W "$(command azresp config profiles 2>/dev/null)" -- "$cur")) ;;
        *) found=($(compgen -W "${_azresp_words[*]}" -- "$cur")) ;;
    esac
    COMPREPLY=()
    for candidate in "${found[@]}"; do
        COMPREPLY+=("$prefix$candidate")
    done
}

_azresp() {
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd_path="" expect="" word i positional=0 prefix=""
    local -a _azresp_words
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ $word == "=" ]]; then
            continue  # COMP_WORDBREAKS split "--option=value"; the value follows
        elif [[ -n $expect ]]; then
            expect=""
        elif [[ $word == -* ]]; then
            _azresp_value_options "$cmd_path"
            if [[ $word != *=* ]] && _azresp_contains "$word" "${_azresp_words[@]}"; then
                expect="$word"
            fi
        else
            _azresp_subcommands "$cmd_path"
            if ((positional == 0)) && _azresp_contains "$word" "${_azresp_words[@]}"; then
                cmd_path="${cmd_path:+$cmd_path }$word"
            else
                positional=$((positional + 1))
            fi
        fi
    done
    [[ $cur == "=" ]] && cur=""
    if [[ -z $expect && $cur == --*=* ]]; then
        _azresp_value_options "$cmd_path"
        if _azresp_contains "${cur%%=*}" "${_azresp_words[@]}"; then
            expect="${cur%%=*}" prefix="${cur%%=*}=" cur="${cur#*=}"
        fi
    fi
    if [[ -n $expect ]]; then
        _azresp_values "$cmd_path" "$expect"
        _azresp_offer "$cur" "$prefix"
        return 0
    fi
    if [[ $cur == -* ]]; then
        _azresp_options "$cmd_path"
        _azresp_offer "$cur" ""
        return 0
    fi
    if ((positional == 0)); then
        _azresp_subcommands "$cmd_path"
        if ((${#_azresp_words[@]})); then
            _azresp_offer "$cur" ""
            return 0
        fi
    fi
    _azresp_values "$cmd_path" "#$positional"
    _azresp_offer "$cur" ""
    return 0
}

complete -F _azresp azresp
