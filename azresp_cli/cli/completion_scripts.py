"""Shell completion scripts for bash, zsh, fish and PowerShell, rendered from the command tree.

The scripts are static: the tree (commands, options, which options take a value, enum choices)
is written into them, so Tab costs no Python start-up. Only ``--profile`` values ask azresp
(``azresp config profiles``). scripts/gen_completions.py writes them to completions/; a test
fails when those files differ from what this module renders.

Every script walks the words before the cursor the same way: a word naming a subcommand of the
current path extends it (until a positional argument was seen), an option that takes a value
consumes the next word, anything else is a positional argument. Then it offers the values of
the pending option, options when the word starts with "-", subcommands, or the values of the
positional slot (enum choices, files or directories).
"""

from __future__ import annotations

import re

from azresp_cli.cli.completion_tree import PROGRAM, CommandSpec, ValueSpec

SHELLS = ("bash", "zsh", "fish", "powershell")
FILE_NAMES = {
    "bash": "azresp.bash",
    "zsh": "_azresp",
    "fish": "azresp.fish",
    "powershell": "azresp.ps1",
}
_WORD = re.compile(r"^[A-Za-z0-9_.:/+=-]+$")
_GENERATED = (
    "Generated from azresp's command tree by scripts/gen_completions.py; do not edit by hand.\n"
    "Install with `azresp --install-completion`, or see docs/completions.md."
)


def render(shell: str, tree: CommandSpec) -> str:
    """The completion script for ``shell`` (one of SHELLS)."""
    renderers = {"bash": bash, "zsh": zsh, "fish": fish, "powershell": powershell}
    if shell not in renderers:
        raise ValueError(f"no completion script for {shell!r}; choose one of {', '.join(SHELLS)}")
    return renderers[shell](tree)


def _word(text: str) -> str:
    """A command, option or choice name: checked, since the scripts quote them only lightly."""
    if not _WORD.match(text):
        raise ValueError(f"cannot put {text!r} in a completion script")
    return text


def _marker(value: ValueSpec) -> list[str]:
    """The words a script offers for a value: choices, or an @-marker for files and profiles."""
    if value.kind == "choices":
        return [_word(choice) for choice in value.choices]
    if value.kind in ("file", "dir", "profile"):
        return [f"@{value.kind}"]
    return []


def _value_entries(tree: CommandSpec) -> list[tuple[str, str, list[str]]]:
    """(command key, option name or "#N" for positional N or "#N+" repeating, words)."""
    entries = []
    for command in tree.walk():
        for option in command.options:
            words = _marker(option.value)
            if words:
                entries += [(command.key, name, words) for name in option.names]
        for index, argument in enumerate(command.arguments):
            words = _marker(argument)
            if words:
                slot = f"#{index}+" if argument.repeats else f"#{index}"
                entries.append((command.key, slot, words))
    return entries


# ---------------------------------------------------------------------------------------- bash


def bash(tree: CommandSpec) -> str:
    def case(function: str, rows: list[tuple[str, list[str]]]) -> str:
        lines = [f"{function}() {{", '    case "$1" in']
        for key, words in rows:
            lines.append(f'        "{key}") _azresp_words=({" ".join(words)}) ;;')
        lines += ["        *) _azresp_words=() ;;", "    esac", "}"]
        return "\n".join(lines)

    commands = tree.walk()
    subcommands = [(c.key, [_word(s.path[-1]) for s in c.subcommands]) for c in commands]
    options = [(c.key, [_word(n) for o in c.options for n in o.names]) for c in commands]
    value_options = [
        (c.key, [_word(n) for o in c.options if o.takes_value for n in o.names]) for c in commands
    ]
    values = ["_azresp_values() {", '    case "$1|$2" in']
    for key, slot, words in _value_entries(tree):
        pattern = f'"{key}|{slot[:-1]}"*' if slot.endswith("+") else f'"{key}|{slot}"'
        values.append(f"        {pattern}) _azresp_words=({' '.join(words)}) ;;")
    values += ["        *) _azresp_words=() ;;", "    esac", "}"]
    parts = [
        "# bash completion for azresp                                 -*- shell-script -*-",
        *(f"# {line}" for line in _GENERATED.splitlines()),
        "",
        case("_azresp_subcommands", [r for r in subcommands if r[1]]),
        "",
        case("_azresp_options", options),
        "",
        case("_azresp_value_options", [r for r in value_options if r[1]]),
        "",
        "\n".join(values),
        "",
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


# ----------------------------------------------------------------------------------------- zsh


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
        (c.key, [_zsh_quote(f"{_word(s.path[-1])}:{s.help}") for s in c.subcommands])
        for c in commands
    ]
    options = [
        (c.key, [_zsh_quote(f"{_word(n)}:{o.help}") for o in c.options for n in o.names])
        for c in commands
    ]
    value_options = [
        (c.key, [_word(n) for o in c.options if o.takes_value for n in o.names]) for c in commands
    ]
    values = ["_azresp_values() {", '  case "$1|$2" in']
    for key, slot, words in _value_entries(tree):
        pattern = f'"{key}|{slot[:-1]}"*' if slot.endswith("+") else f'"{key}|{slot}"'
        values.append(f"    {pattern}) reply=({' '.join(words)}) ;;")
    values += ["    *) reply=() ;;", "  esac", "}"]
    parts = [
        f"#compdef {PROGRAM}",
        *(f"# {line}" for line in _GENERATED.splitlines()),
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


# ---------------------------------------------------------------------------------------- fish


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(tree: CommandSpec) -> str:
    commands = tree.walk()
    lines = [
        *(f"# {line}" for line in _GENERATED.splitlines()),
        "",
        "function __azresp_subcommands --argument-names cmd_path",
        "    switch $cmd_path",
    ]
    for command in commands:
        if command.subcommands:
            subcommands = " ".join(_word(sub.path[-1]) for sub in command.subcommands)
            lines += [f"        case {_fish_quote(command.key)}", f"            echo {subcommands}"]
    lines += ["    end", "end", "", "function __azresp_value_options --argument-names cmd_path"]
    lines += ["    switch $cmd_path"]
    for command in commands:
        value_options = [_word(n) for o in command.options if o.takes_value for n in o.names]
        if value_options:
            lines += [
                f"        case {_fish_quote(command.key)}",
                f"            string join ' ' -- {' '.join(value_options)}",
            ]
    lines += ["    end", "end", "", _FISH_BODY.strip("\n"), "", "complete -c azresp -f"]
    for command in commands:
        at = f'__azresp_at "{command.key}"'  # keys are _word()s: no quotes to escape
        condition = f"-n '{at}'"
        for sub in command.subcommands:
            name, about = _word(sub.path[-1]), _fish_quote(sub.help)
            lines.append(f"complete -c azresp {condition} -a {name} -d {about}")
        for option in command.options:
            flags = []
            for name in option.names:
                if name.startswith("--"):
                    flags.append(f"-l {_word(name[2:])}")
                elif len(name) == 2:
                    flags.append(f"-s {_word(name[1:])}")
                else:
                    flags.append(f"-o {_word(name[1:])}")
            lines.append(
                f"complete -c azresp {condition} {' '.join(flags)}{_fish_value(option.value)}"
                f" -d {_fish_quote(option.help)}"
            )
        if command.arguments and not command.subcommands:
            value = _fish_value(command.arguments[0])
            if value:
                slot = f"-n '{at}; and __azresp_positional 0'"
                lines.append(f"complete -c azresp {slot}{value}")
    return "\n".join(lines) + "\n"


def _fish_value(value: ValueSpec) -> str:
    if value.kind == "none":
        return ""
    if value.kind == "choices":
        return f" -x -a {_fish_quote(' '.join(_word(c) for c in value.choices))}"
    if value.kind in ("file", "dir"):
        return " -r -F"
    if value.kind == "profile":
        return " -x -a '(command azresp config profiles 2>/dev/null)'"
    return " -x"


_FISH_BODY = r"""
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
"""


# ---------------------------------------------------------------------------------- PowerShell


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def powershell(tree: CommandSpec) -> str:
    commands = tree.walk()

    def table(name: str, rows: list[tuple[str, list[str]]]) -> list[str]:
        lines = [f"${name} = @{{"]
        for key, words in rows:
            # @(@('a','b')) flattens to @('a','b'); a leading comma keeps one pair a pair.
            single_pair = len(words) == 1 and words[0].startswith("@(")
            items = ", ".join(words)
            lines.append(f"    {_ps_quote(key)} = @({',' if single_pair else ''}{items})")
        return [*lines, "}"]

    subcommands = [
        (
            c.key,
            [f"@({_ps_quote(_word(s.path[-1]))}, {_ps_quote(s.help)})" for s in c.subcommands],
        )
        for c in commands
        if c.subcommands
    ]
    options = [
        (
            c.key,
            [f"@({_ps_quote(_word(n))}, {_ps_quote(o.help)})" for o in c.options for n in o.names],
        )
        for c in commands
    ]
    value_options = [
        (c.key, [_ps_quote(_word(n)) for o in c.options if o.takes_value for n in o.names])
        for c in commands
    ]
    values = [
        (f"{key}|{slot}", [_ps_quote(w) for w in words])
        for key, slot, words in _value_entries(tree)
    ]
    parts = [
        *(f"# {line}" for line in _GENERATED.splitlines()),
        "# Load it from your $PROFILE: . /path/to/azresp.ps1",
        "",
        *table("__azrespSubcommands", subcommands),
        *table("__azrespOptions", options),
        *table("__azrespValueOptions", [r for r in value_options if r[1]]),
        *table("__azrespValues", values),
        "",
        _POWERSHELL_BODY.strip("\n"),
        "",
    ]
    return "\n".join(parts)


_POWERSHELL_BODY = r"""
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
"""
