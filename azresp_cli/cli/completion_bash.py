"""The bash completion script, rendered from the command tree (see completion_scripts)."""

from __future__ import annotations

from azresp_cli.cli.completion_tables import case_tables
from azresp_cli.cli.completion_tree import GENERATED_NOTICE, CommandSpec, script_word


def bash(tree: CommandSpec) -> str:
    tables = case_tables(
        tree,
        indent="    ",
        target="_azresp_words",
        subcommand_word=lambda sub: script_word(sub.path[-1]),
        option_word=lambda _option, name: script_word(name),
    )
    parts = [
        "# bash completion for azresp                                 -*- shell-script -*-",
        *(f"# {line}" for line in GENERATED_NOTICE.splitlines()),
        "",
        *tables,
        _BASH_BODY.strip("\n"),
        "",
    ]
    return "\n".join(parts)


_BASH_BODY = r"""
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
"""
