using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kecleon.Files;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>
/// The status socket: a Unix stream socket whose file only root may open (mode 0600, in a directory only root can
/// change: 0700 when Kecleon creates it). A client
/// connects and reads one JSON <see cref="DaemonSnapshot"/>; nothing is read from it, so nothing it sends can change
/// the daemon.
/// </summary>
public sealed class StatusServer : IAsyncDisposable
{
    private readonly string _path;
    private readonly FileStatus _created;
    private readonly Socket _socket;
    private readonly Func<DaemonSnapshot> _snapshot;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private StatusServer(string path, Socket socket, FileStatus created, Func<DaemonSnapshot> snapshot, ILogger log)
    {
        _path = path;
        _created = created;
        _socket = socket;
        _snapshot = snapshot;
        _log = log;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>
    /// Listens at <paramref name="path"/>. Its directory is created 0700 or checked to be ours alone to change (see
    /// <see cref="SafePaths.EnsureDirectory"/>); a socket nobody listens on (the leftover of a daemon that was killed) is
    /// replaced, anything else there (a file, a directory, a symlink, a socket someone listens on) is refused and left alone.
    /// </summary>
    public static StatusServer Start(string path, Func<DaemonSnapshot> snapshot, ILogger log)
    {
        var full = Path.GetFullPath(path);
        var directory = SafePaths.EnsureDirectory(Path.GetDirectoryName(full)!, SafePaths.OwnerOnly, ownerOnly: false, "the status socket's directory");
        var socketPath = Path.Combine(directory, Path.GetFileName(full));
        var existing = SafePaths.Status(socketPath);
        switch (existing.Kind)
        {
            case FileKind.Missing:
                break;
            case FileKind.Socket when IsListening(socketPath):
                throw new PathInUseException($"status_socket {path}: a process listens on it (another Kecleon daemon?); stop it or choose another status_socket");
            case FileKind.Socket:
                File.Delete(socketPath); // a stale socket of a daemon that was killed
                break;
            default:
                throw new UnsafePathException($"status_socket {path}: refusing to replace {Describe(existing.Kind)}; " +
                                              "name a path where nothing is, or where a stale Kecleon socket is");
        }
        // Nobody but us can change the directory, so the name still leads to our socket when its mode is set (bind makes
        // it 0777 less the umask; connecting takes write permission).
        var socket = SafePaths.ListenUnix(socketPath, 16);
        try
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return new StatusServer(socketPath, socket, SafePaths.Status(socketPath), snapshot, log);
        }
        catch
        {
            socket.Dispose();
            File.Delete(socketPath);
            throw;
        }
    }

    private static bool IsListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
        {
            return false;
        }
        catch (SocketException e)
        {
            throw new PathInUseException($"status_socket {path}: cannot tell whether a process listens on it ({e.Message}); remove it if it is stale");
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        _ => "a file that is not a socket",
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.LogWarning(DaemonEvents.StatusSocket, "status socket: {Error}", e.Message);
                continue;
            }
            using (client)
            {
                try
                {
                    var json = JsonSerializer.SerializeToUtf8Bytes(_snapshot(), StatusJson.Default.DaemonSnapshot);
                    await client.SendAsync(json, SocketFlags.None, _stop.Token);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    _log.LogDebug(DaemonEvents.StatusSocket, "status client went away: {Error}", e.Message);
                }
            }
        }
    }

    /// <summary>Reads the daemon's status from its socket (what <c>kecleon status</c> does).</summary>
    public static DaemonSnapshot Query(string path, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            throw e.SocketErrorCode is SocketError.AccessDenied
                ? new NoPermissionException($"no permission to open {path}: the status socket is for root only; run `sudo kecleon status`.")
                : new KecleonException($"no Kecleon daemon answers at {path} ({e.Message}). Start it with `kecleon daemon --config FILE` or `systemctl start kecleon`.");
        }
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = socket.Receive(chunk)) > 0)
            buffer.Write(chunk, 0, read);
        return JsonSerializer.Deserialize(buffer.ToArray(), StatusJson.Default.DaemonSnapshot)
               ?? throw new KecleonException($"the daemon at {path} sent an empty status");
    }

    /// <summary>The status as <c>kecleon status --json</c> prints it (docs/json.md).</summary>
    public static string Json(DaemonSnapshot status) => JsonOutput.Render(status, StatusJson.Default.DaemonSnapshot);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        // Only our own socket goes: whatever root may have put there since stays.
        if (SafePaths.Status(_path).SameFileAs(_created))
        {
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
            }
        }
        _stop.Dispose();
    }

    public static string Text(DaemonSnapshot status)
    {
        var text = new StringBuilder();
        text.AppendLine($"kecleon daemon since {status.Started:u}, guard hook: {status.GuardHook}");
        foreach (var t in status.Targets)
        {
            if (t.Stages is not { } stages)
            {
                Target(text, t, "  ", $"{t.Name} ({t.Hook})");
                continue;
            }
            // A chain: how reading it goes, then each stage as a target of its own.
            text.AppendLine($"  {t.Name} ({t.Hook}): {t.State.ToString().ToLowerInvariant()}{(t.Detail is { } d ? $" — {d}" : "")}");
            foreach (var f in t.RecentFailures.TakeLast(3))
                text.AppendLine($"    failed at {f.At:u} in {f.Stage}: {f.Reason}");
            text.AppendLine($"    {stages.Count} stage(s), {(t.Fused == true ? "fused into the entry" : "each optimized in its place")}:");
            foreach (var s in stages)
                Target(text, s, "      ", s.Place == "entry" ? $"{s.Stage} (entry: {s.Hook})" : $"{s.Stage} ({s.Hook})");
        }
        return text.ToString();
    }

    private static void Target(StringBuilder text, TargetSnapshot t, string indent, string title)
    {
        var more = indent + "  ";
        text.AppendLine($"{indent}{title}: {t.State.ToString().ToLowerInvariant()}{(t.Detail is { } d ? $" — {d}" : "")}");
        text.AppendLine($"{more}live program id {t.LiveProgramId?.ToString() ?? "-"}, original {t.OriginalProgramId?.ToString() ?? "-"}");
        if (t.Speedup is { } speedup)
            text.AppendLine($"{more}ns/packet live (bpf_stats): original {t.BaselineNsPerPacket:F1}, optimized {t.OptimizedNsPerPacket:F1} → {speedup:F2}x");
        text.AppendLine($"{more}swaps {t.Swaps}, rollbacks {t.Rollbacks}, invalidations {t.Invalidations}, re-specializations {t.Respecializations}, raced checks {t.RacedChecks}, failures {t.Failures}" +
                        (t.LastSwap is { } at ? $", last swap {at:u}" : ""));
        if (t.SpecializedMaps.Count > 0)
            text.AppendLine($"{more}specialized on: {string.Join(", ", t.SpecializedMaps)}");
        if (t.LastCycle is { } c)
            text.AppendLine($"{more}last cycle {c.Total:F1} ms: parse {c.Parse:F1}, analyze {c.Analyze:F1}, snapshot {c.Snapshot:F1}, passes {c.Passes:F1}, " +
                            $"O2 {c.Optimize:F1}, codegen {c.CodeGen:F1}, load {c.Load:F1}, check {c.Check:F1}, swap {c.Swap:F2}");
        if (t.ReactionMs.Count > 0)
        {
            var sorted = t.ReactionMs.Order().ToList();
            text.AppendLine($"{more}map update → re-specialized live: median {sorted[sorted.Count / 2]:F1} ms, max {sorted[^1]:F1} ms over {sorted.Count}");
        }
        foreach (var r in t.Reactions)
        {
            text.AppendLine($"{more}{DaemonMetrics.KindText(r.Kind)} {r.Count}: write → live median {r.WriteToLiveMs.Median:F2} ms, p99 {r.WriteToLiveMs.P99:F2} ms");
            if (r.Stages.Count > 0)
                text.AppendLine($"{more}  stages (median/p99 ms): {string.Join(", ", r.Stages.Select(s => $"{s.Stage} {s.Ms.Median:F2}/{s.Ms.P99:F2}"))}");
        }
        foreach (var f in t.RecentFailures.TakeLast(3))
            text.AppendLine($"{more}failed at {f.At:u} in {f.Stage}: {f.Reason}");
    }
}

/// <summary>The status socket's message (<see cref="DaemonSnapshot"/>), generated at build time. A client skips fields it
/// does not know, so a newer daemon's additions do not break an older <c>kecleon status</c>.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DaemonSnapshot))]
internal sealed partial class StatusJson : System.Text.Json.Serialization.JsonSerializerContext;
