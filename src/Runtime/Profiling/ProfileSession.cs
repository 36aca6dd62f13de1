using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Profiling;

/// <summary>What <c>kecleon profile</c> asks for: a trace replayed through the instrumented program on the program's maps
/// holding <paramref name="ControlPlane"/>, window by window.</summary>
/// <param name="FrontEnd">The flags the original's object is compiled with, for C input (<see cref="OriginalSelection.ObjectOf"/>).</param>
/// <param name="Replays">Times each window replays the trace.</param>
public sealed record ProfileRequest(ProgramSource Source, FrontEndOptions FrontEnd, string? ProgramName, ControlPlaneData ControlPlane,
    IReadOnlyList<byte[]> Trace, InstrumentationOptions Instrumentation, int Windows, int Replays);

/// <summary>
/// <c>kecleon profile</c>: the original (<see cref="OriginalSelection"/>) loaded with the workload's control plane, the
/// instrumented copy on its maps, the trace replayed through the copy in each window; returns the aged profile.
/// </summary>
public static class ProfileSession
{
    public static Profile Run(ProfileRequest request, Action<ProfileWindow>? progress = null)
    {
        var trace = request.Trace;
        // What runs without Kecleon (the user's object, or clang's) holds the maps; the instrumented copy shares them.
        using var original = OriginalSelection.Load(OriginalSelection.ObjectOf(request.Source, request.FrontEnd), request.ProgramName);
        original.Apply(request.ControlPlane);
        using var profiler = Profiler.Load(request.Source, original, request.Instrumentation);
        // A TC program's test run refuses frames with a truncated IP header (the stack never hands it those either).
        trace = trace.Where(p => Bpf.BpfTestRun.Takes(original.Program.Type, p)).ToList();
        if (trace.Count == 0)
            throw new InvalidInputException($"none of the {request.Trace.Count} packets can be test-run through {original.Program.Name} " +
                                            $"(a {original.Program.Type} program): give a trace of complete Ethernet frames");
        for (var w = 0; w < request.Windows; w++)
        {
            for (var pass = 0; pass < request.Replays; pass++)
            {
                // Each replay starts one packet later: one in 2^shift packets is sampled by a running count, and a
                // trace whose length is a multiple of that (2,000 of 16) would otherwise have the same packets
                // sampled in every replay.
                for (var i = 0; i < trace.Count; i++)
                    profiler.Instrumented.Program.TestRun(trace[(i + pass) % trace.Count]);
                profiler.Collect();
            }
            progress?.Invoke(profiler.EndWindow());
        }
        return profiler.Snapshot();
    }
}
