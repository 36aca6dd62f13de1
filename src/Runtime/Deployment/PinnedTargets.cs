using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>One target folder under a pin root (docs/swap.md, "What stays after the command exits"), as read: the
/// pinned original and the optimized program swapped in (if any), and since when.</summary>
/// <param name="Key">The folder's name: the hook (<c>xdp-veth0</c>, <c>tcx-ingress-eth0-link12</c>, <c>xdp-eth0@blue</c>).</param>
/// <param name="OptimizedSince">When the optimized program was pinned (its pin's time).</param>
/// <param name="OwnLink">Kecleon attached the original itself and its link pin keeps it attached.</param>
/// <param name="Unreadable">Why a pin could not be read, or null.</param>
public sealed record PinnedTarget(string Key, string Directory, string PinRoot, uint? OriginalId, string? OriginalName, uint? OptimizedId,
    DateTimeOffset? OptimizedSince, bool OwnLink, string? Unreadable)
{
    /// <summary>The command that puts the original back and removes the folder (<c>kecleon restore</c>).</summary>
    public string RestoreCommand => OriginalId is { } id ? $"kecleon restore --prog-id {id} --pin-root {PinRoot}" : $"kecleon restore --all --pin-root {PinRoot}";
}

/// <summary>Reads the target folders under a pin root without changing anything (<c>kecleon status</c>).</summary>
public static class PinnedTargets
{
    private const string OriginalPin = "original", OptimizedPin = "optimized", LinkPin = "link";

    /// <summary>Every target folder under <paramref name="pinRoot"/> (not the guard table's), by name; none when the
    /// root does not exist.</summary>
    public static IReadOnlyList<PinnedTarget> List(string pinRoot) => Target.Folders(pinRoot).Select(d => Read(d, pinRoot)).ToList();

    private static PinnedTarget Read(string directory, string pinRoot)
    {
        string? problem = null;
        BpfProgramInfo? Program(string pin)
        {
            var path = Path.Combine(directory, pin);
            if (!File.Exists(path))
                return null;
            try
            {
                using var fd = BpfFd.OpenPinned(path);
                return BpfProgramInfo.FromFd(fd.Value);
            }
            catch (KecleonException e)
            {
                problem ??= $"{pin}: {e.Message}";
                return null;
            }
        }
        var original = Program(OriginalPin);
        var optimized = Program(OptimizedPin);
        var optimizedPin = Path.Combine(directory, OptimizedPin);
        DateTimeOffset? since = optimized is null ? null : new DateTimeOffset(File.GetLastWriteTimeUtc(optimizedPin), TimeSpan.Zero);
        return new PinnedTarget(Path.GetFileName(directory), directory, pinRoot, original?.Id, original?.Name, optimized?.Id, since,
            File.Exists(Path.Combine(directory, LinkPin)), problem);
    }
}
