using System.CommandLine;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon completion bash|zsh</c>: a completion script that asks kecleon itself what may come next (System.CommandLine's
/// <c>[suggest:POSITION]</c> directive), so commands, options, their allowed values, samples and help topics complete
/// from the parser's own definitions.</summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # kecleon bash completion: eval "$(kecleon completion bash)", or save it to
        # /etc/bash_completion.d/kecleon (or ~/.local/share/bash-completion/completions/kecleon).
        _kecleon_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE:0:COMP_POINT}"
            line="${line#"${COMP_WORDS[0]}"}"; line="${line# }"
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _kecleon_complete kecleon
        """;

    private const string Zsh = """
        # kecleon zsh completion: eval "$(kecleon completion zsh)" in ~/.zshrc.
        _kecleon_complete() {
            local line="${BUFFER[1,CURSOR]}"
            line="${line#${words[1]}}"; line="${line# }"
            local -a items
            items=("${(@f)$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)}")
            compadd -- $items
        }
        compdef _kecleon_complete kecleon
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "The shell" }.OneOf("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script (eval \"$(kecleon completion bash)\"; see docs/install.md)") { shell };
        command.SetAction(result =>
        {
            Console.WriteLine(result.GetValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Success;
        });
        return command;
    }
}
