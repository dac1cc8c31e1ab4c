"""The PowerShell completion script, rendered from the command tree (see completion_scripts)."""

from __future__ import annotations

from azresp_cli.cli.completion_tree import (
    GENERATED_NOTICE,
    CommandSpec,
    script_word,
    value_entries,
)


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ps_pair(word: str, help_text: str) -> str:
    return f"@({_ps_quote(word)}, {_ps_quote(help_text)})"


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
            [
                f"@({_ps_quote(script_word(s.path[-1]))}, {_ps_quote(s.help)})"
                for s in c.subcommands
            ],
        )
        for c in commands
        if c.subcommands
    ]
    options = [
        (
            c.key,
            [
                f"@({_ps_quote(script_word(n))}, {_ps_quote(o.help)})"
                for o in c.options
                for n in o.names
            ],
        )
        for c in commands
    ]
    value_options = [
        (c.key, [_ps_quote(script_word(n)) for o in c.options if o.takes_value for n in o.names])
        for c in commands
    ]
    values = [
        (f"{key}|{slot}", [_ps_quote(w) for w in words]) for key, slot, words in value_entries(tree)
    ]
    parts = [
        *(f"# {line}" for line in GENERATED_NOTICE.splitlines()),
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
