using System.Diagnostics;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>One swap: what was replaced by what, on which hook, and how long the kernel call took.</summary>
public sealed record SwapResult(string Hook, HookKind Kind, uint FromProgramId, uint ToProgramId, TimeSpan Latency);

/// <summary>
/// Swaps programs on a hook atomically (cilium/ebpf's <c>Link.Update</c>). A swap names the program it expects to
/// replace; when someone else swapped meanwhile the kernel refuses, <see cref="ReplaceConflictException"/> says so and
/// nothing changes. The caller releases the old program after the swap, not before (the hook held it until then).
/// </summary>
public static class Swapper
{
    public static SwapResult Swap(ProgramHook hook, ProgramRef from, ProgramRef to)
    {
        var clock = Stopwatch.StartNew();
        hook.Replace(from, to);
        var latency = clock.Elapsed;
        return new SwapResult(hook.Description, hook.Kind, from.Id, to.Id, latency);
    }
}
