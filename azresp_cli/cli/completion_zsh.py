"""The zsh completion script, rendered from the command tree (see completion_scripts)."""

from __future__ import annotations

import re

from azresp_cli.cli.completion_tables import case_tables
from azresp_cli.cli.completion_tree import GENERATED_NOTICE, PROGRAM, CommandSpec, script_word


def _zsh_quote(text: str) -> str:
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def zsh(tree: CommandSpec) -> str:
    tables = case_tables(
        tree,
        indent="  ",
        target="reply",
        subcommand_word=lambda sub: _zsh_quote(f"{script_word(sub.path[-1])}:{sub.help}"),
        option_word=lambda option, name: _zsh_quote(f"{script_word(name)}:{option.help}"),
    )
    parts = [
        f"#compdef {PROGRAM}",
        *(f"# {line}" for line in GENERATED_NOTICE.splitlines()),
        "",
        *tables,
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
