using System.CommandLine;
using Kecleon.Daemon;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon validate-config [--config FILE]</c>: what <c>kecleon daemon</c> would start with, checked
/// without touching a data plane: the file, <c>pin_root</c>, and each target's source and hook (<see cref="ConfigCheck"/>).</summary>
internal static class ValidateConfigCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "The daemon's configuration file (JSON; see packaging/kecleon.json and docs/daemon.md)",
            DefaultValueFactory = _ => DaemonCommand.DefaultConfig,
        };
        var command = new Command("validate-config", "Check a daemon configuration: it parses, pin_root is on bpffs, each target's source compiles and its hook exists (exit 0, or 65)")
        {
            config,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var path = result.GetValue(config)!;
            var settings = DaemonConfig.Load(CommandFiles.Input(path, "a daemon configuration (JSON)"));
            var (problems, targets) = ConfigCheck.Check(settings);
            var good = problems.Count == 0 && targets.All(t => t.Ok);
            Console.WriteLine($"{path}: {(good ? "valid" : "not valid")}: {targets.Count} target(s), pin_root {settings.PinRoot}, " +
                              $"status_socket {settings.StatusSocket}, metrics {(settings.Metrics.Length > 0 ? settings.Metrics : "off")}");
            foreach (var problem in problems)
                Console.WriteLine($"  {problem}");
            foreach (var t in targets)
                Console.WriteLine(t.Ok
                    ? $"  {t.Name}: ok ({string.Join("; ", t.Checked)})"
                    : $"  {t.Name}: FAILED: {string.Join("; ", t.Problems)}" + (t.Checked.Count > 0 ? $" ({string.Join("; ", t.Checked)})" : ""));
            return good ? ExitCodes.Success : ExitCodes.BadInput;
        }));
        return command;
    }
}
