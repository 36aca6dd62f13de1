using System.Text.Json.Nodes;
using System.CommandLine;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon status</c>: what the running daemon is doing, from its root-only Unix socket (the path from
/// <c>--socket</c>, else from the configuration, else the default), and the programs one-shot <c>kecleon optimize</c>
/// runs left swapped in under the pin roots. Exit 0 when the daemon answered; 1 when none answers (the pinned programs
/// are listed all the same); 77 without the privileges to ask.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var socket = new Option<string?>("--socket")
        {
            Description = $"The daemon's status socket (default: the configuration's status_socket, else {DaemonConfig.DefaultStatusSocket})",
        };
        var config = new Option<string?>("--config")
        {
            Description = $"The daemon's configuration, for its status_socket and pin_root (default: {DaemonCommand.DefaultConfig} when present)",
        };
        var pinRoot = new Option<string[]>("--pin-root")
        {
            Description = $"Where to look for programs one-shot `kecleon optimize` runs left swapped (default: the configuration's pin_root and {Target.DefaultPinRoot})",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the daemon's status as JSON (docs/json.md)" };
        var command = new Command("status", "Show the daemon's targets (state, live speedup, swaps, invalidations, failures and their reasons) and the programs one-shot optimize runs left swapped")
        {
            socket, config, pinRoot, json,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var configPath = result.GetValue(config) ?? (File.Exists(DaemonCommand.DefaultConfig) ? DaemonCommand.DefaultConfig : null);
            var settings = configPath is null ? null : DaemonConfig.Load(CommandFiles.Input(configPath, "a daemon configuration (JSON)"));
            var path = result.GetValue(socket) ?? settings?.StatusSocket ?? DaemonConfig.DefaultStatusSocket;
            if (DaemonConfig.SocketPathProblem(path) is { } problem)
                throw new UsageException($"--socket {problem}");
            DaemonSnapshot? status = null;
            KecleonException? down = null;
            try
            {
                status = StatusServer.Query(path, TimeSpan.FromSeconds(5));
            }
            catch (KecleonException e) when (e is not NoPermissionException)
            {
                down = e;
            }
            var roots = result.GetValue(pinRoot) is { Length: > 0 } given ? given : new[] { settings?.PinRoot, Target.DefaultPinRoot }.OfType<string>().Distinct().ToArray();
            if (result.GetValue(json))
            {
                var body = status is null ? new JsonObject() : (JsonObject)JsonNode.Parse(StatusServer.Json(status))!;
                body.Remove("schema_version");
                body["left_swapped"] = OneShotJson(OneShot(roots, status, out _));
                Console.Write(JsonOutput.Render(body) + "\n");
                return down is null ? ExitCodes.Success : throw down;
            }
            if (status is not null)
                Console.Write(StatusServer.Text(status));
            Console.Write(OneShotText(roots, status));
            return down is null ? ExitCodes.Success : throw down;
        }));
        return command;
    }

    /// <summary>The target folders under <paramref name="roots"/> that the daemon does not manage: what one-shot
    /// <c>kecleon optimize</c> runs left, with the command that undoes each.</summary>
    internal static string OneShotText(IReadOnlyList<string> roots, DaemonSnapshot? daemon)
    {
        var found = OneShot(roots, daemon, out var unreadable);
        var text = new System.Text.StringBuilder();
        foreach (var problem in unreadable)
            text.AppendLine(problem);
        if (found.Count == 0)
        {
            text.AppendLine($"no programs left by one-shot `kecleon optimize` runs under {string.Join(", ", roots)}");
            return text.ToString();
        }
        text.AppendLine($"left by one-shot `kecleon optimize` runs ({found.Count}):");
        foreach (var p in found)
        {
            var original = p.OriginalId is { } id ? $"original program {id}{(p.OriginalName is { Length: > 0 } n ? $" ({n})" : "")}" : "no original pinned";
            text.AppendLine(p.OptimizedId is { } optimized
                ? $"  {p.Key} ({p.PinRoot}): optimized program {optimized} swapped in for the {original} since {p.OptimizedSince:yyyy-MM-dd HH:mm:ss}Z"
                : $"  {p.Key} ({p.PinRoot}): nothing swapped in; {original} pinned{(p.OwnLink ? ", attached by Kecleon through a pinned link" : "")}");
            if (p.Unreadable is { } why)
                text.AppendLine($"    unreadable pin: {why}");
            text.AppendLine($"    restore: {p.RestoreCommand}");
        }
        return text.ToString();
    }

    /// <summary>The target folders under <paramref name="roots"/> the daemon does not manage; <paramref name="unreadable"/>
    /// says which pin roots could not be read.</summary>
    private static List<PinnedTarget> OneShot(IReadOnlyList<string> roots, DaemonSnapshot? daemon, out List<string> unreadable)
    {
        var managed = daemon?.Targets.SelectMany(t => (IEnumerable<TargetSnapshot>)[t, .. t.Stages ?? []]).Select(t => t.OriginalProgramId).OfType<uint>().ToHashSet() ?? [];
        var found = new List<PinnedTarget>();
        unreadable = [];
        foreach (var root in roots)
        {
            try
            {
                found.AddRange(PinnedTargets.List(root).Where(p => p.OriginalId is not { } id || !managed.Contains(id)));
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                unreadable.Add($"cannot read the pin root {root}: {e.Message}");
            }
        }
        return found;
    }

    /// <summary><c>left_swapped</c> in <c>status --json</c> (docs/schemas/status.schema.json).</summary>
    private static JsonArray OneShotJson(IEnumerable<PinnedTarget> found)
    {
        var array = new JsonArray();
        foreach (var p in found)
        {
            var item = new JsonObject
            {
                ["target"] = p.Key,
                ["pin_directory"] = p.Directory,
                ["pin_root"] = p.PinRoot,
                ["original_program_id"] = p.OriginalId,
                ["original_name"] = p.OriginalName,
                ["optimized_program_id"] = p.OptimizedId,
                ["optimized_since"] = p.OptimizedSince?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["kecleon_link"] = p.OwnLink,
                ["restore_command"] = p.RestoreCommand,
            };
            if (p.Unreadable is { } why)
                item["unreadable"] = why;
            array.Add(item);
        }
        return array;
    }
}
