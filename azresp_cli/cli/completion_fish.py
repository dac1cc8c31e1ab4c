"""The fish completion script, rendered from the command tree (see completion_scripts)."""

from __future__ import annotations

from azresp_cli.cli.completion_tree import (
    GENERATED_NOTICE,
    CommandSpec,
    ValueSpec,
    script_word,
)


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(tree: CommandSpec) -> str:
    commands = tree.walk()
    lines = [
        *(f"# {line}" for line in GENERATED_NOTICE.splitlines()),
        "",
        "function __azresp_subcommands --argument-names cmd_path",
        "    switch $cmd_path",
    ]
    for command in commands:
        if command.subcommands:
            subcommands = " ".join(script_word(sub.path[-1]) for sub in command.subcommands)
            lines += [f"        case {_fish_quote(command.key)}", f"            echo {subcommands}"]
    lines += ["    end", "end", "", "function __azresp_value_options --argument-names cmd_path"]
    lines += ["    switch $cmd_path"]
    for command in commands:
        value_options = [script_word(n) for o in command.options if o.takes_value for n in o.names]
        if value_options:
            lines += [
                f"        case {_fish_quote(command.key)}",
                f"            string join ' ' -- {' '.join(value_options)}",
            ]
    lines += ["    end", "end", "", _FISH_BODY.strip("\n"), "", "complete -c azresp -f"]
    for command in commands:
        at = f'__azresp_at "{command.key}"'  # keys are script_word()s: no quotes to escape
        condition = f"-n '{at}'"
        for sub in command.subcommands:
            name, about = script_word(sub.path[-1]), _fish_quote(sub.help)
            lines.append(f"complete -c azresp {condition} -a {name} -d {about}")
        for option in command.options:
            flags = []
            for name in option.names:
                if name.startswith("--"):
                    flags.append(f"-l {script_word(name[2:])}")
                elif len(name) == 2:
                    flags.append(f"-s {script_word(name[1:])}")
                else:
                    flags.append(f"-o {script_word(name[1:])}")
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
        return f" -x -a {_fish_quote(' '.join(script_word(c) for c in value.choices))}"
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
