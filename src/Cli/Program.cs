using System.CommandLine;
using System.CommandLine.Parsing;
using Kecleon;
using Kecleon.Cli;
using Kecleon.Cli.Commands;

var root = new RootCommand("Kecleon: a run-time optimizing compiler for eBPF/XDP network functions.")
{
    CompileCommand.Create(),
    RunCommand.Create(),
    AnalyzeCommand.Create(),
    BenchCommand.Create(),
    ProfileCommand.Create(),
    DiffCommand.Create(),
    SampleCommand.Create(),
    SnapshotCommand.Create(),
    DemoCommand.Create(),
    OptimizeCommand.Create(),
    RestoreCommand.Create(),
    DaemonCommand.Create(),
    StatusCommand.Create(),
    ValidateConfigCommand.Create(),
    HelpCommand.Create(),
    CompletionCommand.Create(),
};
return CommandRunner.Invoke(root, args);

namespace Kecleon.Cli
{
    /// <summary>Runs a command and turns failures into a message and an exit code, never a stack trace
    /// (set KECLEON_DEBUG=1 to see one for internal errors).</summary>
    internal static class CommandRunner
    {
        public static int Invoke(RootCommand root, string[] args) => Guard(() =>
        {
            var result = root.Parse(args);
            if (UnknownOption(result) is { } unknown)
            {
                Console.Error.WriteLine($"kecleon: {unknown}");
                Console.Error.WriteLine($"Try `{string.Join(' ', ["kecleon", .. Path(result.CommandResult), "--help"])}`.");
                return ExitCodes.Usage;
            }
            if (result.Errors.Count > 0)
            {
                foreach (var error in result.Errors)
                    Console.Error.WriteLine($"kecleon: {error.Message}");
                Console.Error.WriteLine("Try `kecleon --help`.");
                return ExitCodes.Usage;
            }
            // Every action runs inside Guard; what escapes anyway (help output failing, say) gets Guard's one line too.
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        });

        /// <summary>A token that looks like an option (<c>--sampel</c>) but is none of the command's, whether the parser
        /// left it unmatched or took it for an argument: "unknown option --sampel; did you mean --sample?".</summary>
        private static string? UnknownOption(ParseResult result)
        {
            var known = new List<string>();
            for (var symbol = (SymbolResult?)result.CommandResult; symbol is not null; symbol = symbol.Parent)
                if (symbol is CommandResult { Command: var command })
                    foreach (var option in command.Options.Where(o => o.Recursive || ReferenceEquals(command, result.CommandResult.Command)))
                        known.AddRange([option.Name, .. option.Aliases]);
            // Values options took ("--cflag -DX", "--index -1") are not options.
            var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
            foreach (var child in result.CommandResult.Children.Concat(Ancestors(result.CommandResult).SelectMany(c => c.Children)))
                if (child is OptionResult option)
                    optionValues.UnionWith(option.Tokens);
            if (result.CommandResult.Command is RootCommand && result.Tokens.FirstOrDefault() is { Type: TokenType.Argument } first &&
                !first.Value.StartsWith('-'))
                return $"unknown command {first.Value}{Suggestions.DidYouMean(first.Value, result.RootCommandResult.Command.Subcommands.Select(c => c.Name))}";
            foreach (var token in result.Tokens)
            {
                if (token.Type != TokenType.Argument || optionValues.Contains(token) || token.Value.Length < 2 || token.Value[0] != '-' ||
                    char.IsAsciiDigit(token.Value[1]))
                    continue;
                var name = token.Value.Split('=', 2)[0];
                if (!known.Contains(name, StringComparer.Ordinal))
                    return $"unknown option {name}{Suggestions.DidYouMean(name, known.Where(k => k.StartsWith("--", StringComparison.Ordinal)))}";
            }
            return null;
        }

        private static IEnumerable<CommandResult> Ancestors(CommandResult command)
        {
            for (var parent = command.Parent; parent is not null; parent = parent.Parent)
                if (parent is CommandResult c)
                    yield return c;
        }

        private static IEnumerable<string> Path(CommandResult command) =>
            Ancestors(command).Reverse().Append(command).Where(c => c.Command is not RootCommand).Select(c => c.Command.Name);

        public static int Guard(Func<int> action)
        {
            try
            {
                return action();
            }
            catch (KecleonException e)
            {
                Console.Error.WriteLine($"kecleon: error: {e.Message}");
                if (e.Details is { } details)
                    Console.Error.WriteLine(Indent(details));
                return e.ExitCode;
            }
            // What the file system refuses is the environment's doing, not a bug: a file only root may read, a full disk.
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine($"kecleon: error: {e.Message}");
                return ExitCodes.NoPermission;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"kecleon: error: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (Environment.GetEnvironmentVariable("KECLEON_DEBUG") is not "1")
            {
                Console.Error.WriteLine($"kecleon: internal error: {e.GetType().Name}: {e.Message}");
                Console.Error.WriteLine("This is a bug in Kecleon. Run again with KECLEON_DEBUG=1 for a stack trace and report it.");
                return ExitCodes.Internal;
            }
        }

        private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(line => "  | " + line));
    }
}
