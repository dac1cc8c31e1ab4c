"""The zsh completion script, rendered from the command tree (see completion_scripts)."""

from __future__ import annotations

import re

from azresp_cli.cli.completion_tree import (
    GENERATED_NOTICE,
    PROGRAM,
    CommandSpec,
    script_word,
    value_entries,
)


def _zsh_quote(text: str) -> str:
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def zsh(tree: CommandSpec) -> str:
    def case(function: str, rows: list[tuple[str, list[str]]]) -> str:
        lines = [f"{function}() {{", '  case "$1" in']
        for key, words in rows:
            lines.append(f'    "{key}") reply=({" ".join(words)}) ;;')
        lines += ["    *) reply=() ;;", "  esac", "}"]
        return "\n".join(lines)

    commands = tree.walk()
    subcommands = [
        (c.key, [_zsh_quote(f"{script_word(s.path[-1])}:{s.help}") for s in c.subcommands])
        for c in commands
    ]
    options = [
        (c.key, [_zsh_quote(f"{script_word(n)}:{o.help}") for o in c.options for n in o.names])
        for c in commands
    ]
    value_options = [
        (c.key, [script_word(n) for o in c.options if o.takes_value for n in o.names])
        for c in commands
    ]
    values = ["_azresp_values() {", '  case "$1|$2" in']
    for key, slot, words in value_entries(tree):
        pattern = f'"{key}|{slot[:-1]}"*' if slot.endswith("+") else f'"{key}|{slot}"'
        values.append(f"    {pattern}) reply=({' '.join(words)}) ;;")
    values += ["    *) reply=() ;;", "  esac", "}"]
    parts = [
        f"#compdef {PROGRAM}",
        *(f"# {line}" for line in GENERATED_NOTICE.splitlines()),
        "",
        case("_azresp_subcommands", [r for r in subcommands if r[1]]),
        "",
        case("_azresp_options", options),
        "",
        case("_azresp_value_options", [r for r in value_options if r[1]]),
        "",
        "\n".join(values),
        "",
        _ZSH_BODY.strip("\n"),
        "",
    ]
    return "\n".join(parts)


# "path" is zsh's array tied to PATH: the command path is "cmd_path" here.
_ZSH_BODY = r"""
_azresp_offer() {
  case "${reply[1]}" in
    @file) _files ;;
    @dir) _files -/ ;;
    @profile)
      local -a profiles
      profiles=(${(f)"$(command azresp config profiles 2>/dev/null)"})
      compadd -a profiles
      ;;
    *) (( ${#reply} )) && compadd -a reply ;;
  esac
}

_azresp() {
  local cmd_path="" expect="" word cur i
  local -i positional=0
  local -a reply
  for (( i = 2; i < CURRENT; i++ )); do
    word="${words[i]}"
    if [[ -n $expect ]]; then
      expect=""
    elif [[ $word == -* ]]; then
      _azresp_value_options "$cmd_path"
      if [[ $word != *=* ]] && (( ${reply[(Ie)$word]} )); then
        expect="$word"
      fi
    else
      _azresp_subcommands "$cmd_path"
      if (( positional == 0 )) && (( ${reply[(I)${word}:*]} )); then
        cmd_path="${cmd_path:+$cmd_path }$word"
      else
        positional+=1
      fi
    fi
  done
  cur="${words[CURRENT]}"
  if [[ -z $expect && $cur == --*=* ]]; then
    _azresp_value_options "$cmd_path"
    if (( ${reply[(Ie)${cur%%=*}]} )); then
      expect="${cur%%=*}"
      compset -P '*='
    fi
  fi
  if [[ -n $expect ]]; then
    _azresp_values "$cmd_path" "$expect"
    _azresp_offer
    return
  fi
  if [[ $cur == -* ]]; then
    _azresp_options "$cmd_path"
    _describe -t options option reply
    return
  fi
  if (( positional == 0 )); then
    _azresp_subcommands "$cmd_path"
    if (( ${#reply} )); then
      _describe -t commands command reply
      return
    fi
  fi
  _azresp_values "$cmd_path" "#$positional"
  _azresp_offer
}

if [[ "${funcstack[1]}" == "_azresp" ]]; then
  _azresp "$@"
else
  compdef _azresp azresp
fi
"""
