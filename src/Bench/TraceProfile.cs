using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>
/// A trace-derived profile, until the sampling profiler lands: a copy of the program that counts every lookup key
/// (per site) and every conditional branch's direction runs the whole trace, in the kernel, on maps holding the
/// control-plane data; the counts become a <see cref="Profile"/> in the shared format. Exact, not sampled, and for a
/// trace known in advance only: for benchmarks and tests, never for a live data plane.
/// </summary>
public static class TraceProfile
{
    /// <summary><c>KECLEON_TRACE_KEY_BYTES</c> and <c>KECLEON_TRACE_BRANCHES</c> of the recorder.</summary>
    internal const int MaxKey = 64, MaxBranches = 4096;
    /// <summary>Where <c>struct kecleon_key</c>'s bytes start (after the u32 site).</summary>
    internal const int KeyBytesOffset = 4;

    /// <summary>Hottest keys kept per site (the cost model takes at most a few of them).</summary>
    public const int KeysPerSite = 64;

    /// <summary>The recorder (<c>src/BpfC/trace_recorder.bpf.c</c>), compiled to bitcode with this assembly.</summary>
    private static readonly Lazy<byte[]> RecorderBitcode = new(() => BuiltBpf.Read(typeof(TraceProfile).Assembly, "trace_recorder.bc"));

    internal static byte[] Recorder => RecorderBitcode.Value;

    /// <summary>Runs <paramref name="trace"/> through a counting copy of <paramref name="source"/> whose maps hold
    /// <paramref name="controlPlane"/>, and returns what it counted.</summary>
    /// <param name="warm">Count a second pass of the trace, after a first one filled what the data plane learns: the
    /// steady state a profiled live program is in (and what <c>kecleon bench</c> times after its warm-up).</param>
    public static Profile Record(ProgramSource source, string? programName, ControlPlaneData controlPlane, IReadOnlyList<byte[]> trace,
        bool warm = true)
    {
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        List<(int Index, string Map, string Function)> sites;
        var branches = new List<(string Function, int Block)>();
        using (var analysis = ProgramAnalysis.Analyze(module, new AnalysisOptions { ObjectName = source.Name }))
        {
            var lookups = analysis.LookupSites.Where(s => s.Maps.Count == 1 && s.InnerMapOf is null && s.Maps[0].KeySize is > 0 and <= MaxKey)
                .Select(s => (s.Index, s.Call, s.Maps[0].Name, s.Maps[0].KeySize, Function: s.Function.Name)).ToList();
            // Number the branches before anything changes the module: block numbers in function order, as parsed.
            var terminators = new List<LlvmInstruction>();
            foreach (var function in module.Functions.Where(f => !f.IsDeclaration))
            {
                var block = 0;
                foreach (var b in function.Blocks)
                {
                    if (b.Terminator is { BranchCondition: not null } terminator && branches.Count < MaxBranches)
                    {
                        branches.Add((function.Name, block));
                        terminators.Add(terminator);
                    }
                    block++;
                }
            }
            module.Link(LlvmModule.Parse(context, RecorderBitcode.Value, "kecleon_trace_profile"));
            var recordKey = module.GetFunction("kecleon_record_key")!.Value;
            var recordBranch = module.GetFunction("kecleon_record_branch")!.Value;
            recordKey.Linkage = LlvmLinkage.Internal;
            recordBranch.Linkage = LlvmLinkage.Internal;
            using var builder = new LlvmBuilder(context);
            foreach (var (index, call, _, keySize, _) in lookups)
            {
                builder.PositionBefore(call);
                var key = builder.BitCast(call.Argument(1), context.Int8.PointerTo());
                builder.Call(recordKey.FunctionType, recordKey.Value,
                    [context.Int32.ConstInt((ulong)index), key, context.Int32.ConstInt((ulong)keySize)]);
            }
            for (var i = 0; i < terminators.Count; i++)
            {
                builder.PositionBefore(terminators[i]);
                var taken = builder.ZExt(terminators[i].BranchCondition!.Value, context.Int32);
                builder.Call(recordBranch.FunctionType, recordBranch.Value, [context.Int32.ConstInt((ulong)i), taken]);
            }
            sites = lookups.Select(l => (l.Index, l.Name, l.Function)).ToList();
        }
        if (module.Verify() is { } broken)
            throw new KecleonException($"internal error: the trace-profile copy of {source.Name} is not well formed: {broken}");
        var elf = BpfCompiler.Compile(module, CodeGenOptions.Default).Elf;

        using var recorder = LoadedVariant.Load("trace-profile", elf, programName);
        recorder.Apply(controlPlane);
        if (warm)
        {
            // Steady state: the trace once to let the program learn (addresses, connections), then the counts start.
            foreach (var packet in trace)
                recorder.Program.TestRun(packet, 1);
            recorder.Object.FindMap("kecleon_keys")!.Clear();
            var zero = new byte[8];
            for (var i = 0; i < branches.Count * 2; i++)
                recorder.Object.FindMap("kecleon_branches")!.Update(BitConverter.GetBytes((uint)i), zero);
        }
        foreach (var packet in trace)
            recorder.Program.TestRun(packet, 1);

        var keys = recorder.Object.FindMap("kecleon_keys")!.Entries()
            .Select(e => (Site: (int)BitConverter.ToUInt32(e.Key), Bytes: e.Key[KeyBytesOffset..], Count: (double)BitConverter.ToUInt64(e.Value)))
            .ToLookup(e => e.Site);
        var counts = recorder.Object.FindMap("kecleon_branches")!;
        var profiledSites = sites.Where(s => keys[s.Index].Any()).Select(s =>
        {
            var seen = keys[s.Index].ToList();
            var keySize = KeySizeOf(recorder, s.Map);
            return new SiteProfile(s.Index, s.Map, s.Function, seen.Sum(k => k.Count),
                seen.OrderByDescending(k => k.Count).Take(KeysPerSite).Select(k => new HotKey(k.Bytes[..keySize], k.Count)).ToList());
        }).ToList();
        var profiledBranches = new List<BranchProfile>();
        for (var i = 0; i < branches.Count; i++)
        {
            var taken = BitConverter.ToUInt64(counts.Lookup(BitConverter.GetBytes((uint)(i * 2)))!);
            var notTaken = BitConverter.ToUInt64(counts.Lookup(BitConverter.GetBytes((uint)(i * 2 + 1)))!);
            // Never-run branches too: a missing branch means "not counted", a zero means "never ran".
            profiledBranches.Add(new BranchProfile(branches[i].Function, branches[i].Block, taken, notTaken));
        }
        return new Profile
        {
            Program = recorder.Program.Name,
            Recorded = DateTimeOffset.UtcNow,
            Packets = (ulong)trace.Count,
            Sites = profiledSites,
            Branches = profiledBranches,
        };
    }

    private static int KeySizeOf(LoadedVariant variant, string map) => variant.Object.FindMap(map)?.KeySize ?? MaxKey;
}
