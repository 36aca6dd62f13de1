using System.CommandLine;
using Kecleon.Daemon;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon status</c>: what the running daemon is doing, from its root-only Unix socket.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var socket = new Option<string>("--socket")
        {
            Description = "The daemon's status socket",
            DefaultValueFactory = _ => DaemonConfig.DefaultStatusSocket,
        };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (docs/json.md)" };
        var command = new Command("status", "Show the daemon's targets: state, live speedup, swaps, invalidations, failures and their reasons")
        {
            socket, json,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var path = result.GetValue(socket)!;
            if (DaemonConfig.SocketPathProblem(path) is { } problem)
                throw new UsageException($"--socket {problem}");
            var status = StatusServer.Query(path, TimeSpan.FromSeconds(5));
            Console.Write(result.GetValue(json) ? StatusServer.Json(status) + "\n" : StatusServer.Text(status));
            return ExitCodes.Success;
        }));
        return command;
    }
}
