using System.CommandLine;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Microsoft.Extensions.Hosting;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon daemon --config FILE</c>: keeps the configured data planes optimized until SIGTERM or Ctrl-C.</summary>
internal static class DaemonCommand
{
    /// <summary>Where the daemon, <c>validate-config</c> and <c>status</c> look for the configuration.</summary>
    public const string DefaultConfig = "/etc/kecleon/kecleon.json";

    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "The configuration file (JSON; see packaging/kecleon.json and docs/daemon.md)",
            DefaultValueFactory = _ => DefaultConfig,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write structured logs as JSON lines" };
        var command = new Command("daemon", "Keep data planes optimized: profile, specialize, check, swap, watch and re-specialize on every map update")
        {
            config, jsonLogs,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var path = result.GetValue(config)!;
            var settings = DaemonConfig.Load(CommandFiles.Input(path, "a daemon configuration (JSON)"));
            if (BpfFs.Problem(settings.PinRoot) is { } problem)
                throw new InvalidInputException($"{path} is not a valid daemon configuration: pin_root: {problem}");
            Privileges.RequireBpf("daemon");
            using var host = DaemonHost.Build(settings, (guards, logs) => new WorkerServices(settings, guards,
                new SemaphoreSlim(settings.MaxParallelCompiles), target => target.DefaultCheckPackets, logs), result.GetValue(jsonLogs));
            DaemonHost.Run(host);
            return ExitCodes.Success;
        }));
        return command;
    }
}
