using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>
/// A trace-derived profile: the whole trace runs, in the kernel, through the program instrumented at sampling rate 1
/// (<see cref="InstrumentationOptions.Exact"/>: every packet runs the profiled copy, which counts every branch's direction
/// and records every key of every lookup site) on maps holding the control-plane data; the profiler reads it as it
/// reads a live program. Exact, not sampled, and for a trace known in advance only: for benchmarks and tests, never for
/// a live data plane.
/// </summary>
public static class TraceProfile
{
    /// <summary>Keys longer than this are not counted (the ring records at most <see cref="InstrumentationOptions.Exact"/>'s
    /// <see cref="InstrumentationOptions.KeyBytes"/> of a key).</summary>
    private const int MaxKey = 64;

    /// <summary>Hottest keys kept per site (the cost model takes at most a few of them).</summary>
    public const int KeysPerSite = 64;

    /// <summary>Packets run between two reads of the ring: at most 16 recorded keys per packet before a CPU's ring
    /// (<see cref="InstrumentationOptions.RingSlots"/> samples) wraps; a wrap would lose keys, and is an error.</summary>
    private const int ReadEvery = 16;

    /// <summary>Every lookup site of a single map with a key of at most <see cref="MaxKey"/> bytes.</summary>
    private static bool Counted(HelperCallSite site, ProgramAnalysis analysis) =>
        site.Maps.Count == 1 && site.InnerMapOf is null && site.Maps[0].KeySize is > 0 and <= MaxKey;

    /// <summary>Runs <paramref name="trace"/> through a counting copy of <paramref name="source"/> whose maps hold
    /// <paramref name="controlPlane"/>, and returns what it counted.</summary>
    /// <param name="warm">Count a second pass of the trace, after a first one filled what the data plane learns: the
    /// steady state a profiled live program is in (and what <c>kecleon bench</c> times after its warm-up).</param>
    public static Profile Record(ProgramSource source, string? programName, ControlPlaneData controlPlane, IReadOnlyList<byte[]> trace,
        bool warm = true)
    {
        var build = InstrumentedObject.Build(source, InstrumentationOptions.Exact with
        {
            KeyProfileSites = analysis => analysis.LookupSites.Where(s => Counted(s, analysis)).Select(s => s.Index).ToHashSet(),
        });
        using var recorder = LoadedVariant.Load("trace-profile", build.Elf, programName);
        recorder.Apply(controlPlane);
        if (warm)
        {
            // Steady state: the trace once to let the program learn (addresses, connections); the profiler, made after
            // it, counts from there.
            foreach (var packet in trace)
                recorder.Program.TestRun(packet, 1);
        }
        using var profiler = new Profiler(recorder, build.Layout,
            new ProfilerOptions { Decay = 1, TrackedKeysPerSite = int.MaxValue, KeysPerSite = KeysPerSite });
        for (var i = 0; i < trace.Count; i++)
        {
            recorder.Program.TestRun(trace[i], 1);
            if (i % ReadEvery == ReadEvery - 1)
                profiler.Collect();
        }
        var window = profiler.EndWindow();
        if (window.LostSamples > 0)
            throw new KecleonException($"internal error: the trace profile of {source.Name} lost {window.LostSamples} keys: a packet recorded " +
                                       $"more than {InstrumentationOptions.Exact.RingSlots / ReadEvery} of them");
        var profile = profiler.Snapshot();
        // Sites that saw no key are left out ("not counted"); branches that never ran stay in, with zeros ("never ran").
        return profile with
        {
            Program = recorder.Program.Name,
            IrHash = "",
            Duration = TimeSpan.Zero,
            Packets = (ulong)trace.Count,
            Sites = profile.Sites.Where(s => s.Lookups > 0).ToList(),
        };
    }
}
