using System.CommandLine;
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
    DaemonCommand.Create(),
    StatusCommand.Create(),
    ValidateConfigCommand.Create(),
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
