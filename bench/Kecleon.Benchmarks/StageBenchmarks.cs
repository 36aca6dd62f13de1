using BenchmarkDotNet.Attributes;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Llvm;
using Kecleon.Optimizer;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Benchmarks;

/// <summary>
/// The compiler's own stages per sample: parse the IR, analyze it, specialize it (our passes, LLVM O2 and BPF code
/// generation, on snapshots taken from the sample's control-plane data), and load the result into the kernel (verifier
/// included). Needs root. <c>dotnet run -c Release --project bench/Kecleon.Benchmarks -- --filter '*StageBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    private byte[] _ir = [];
    private byte[] _optimizedElf = [];
    private Dictionary<string, MapSnapshot> _snapshots = [];
    private InliningLimits _limits = InliningLimits.Default;

    [Params("router", "switch", "balancer", "firewall")]
    public string Sample { get; set; } = "router";

    [GlobalSetup]
    public void Setup()
    {
        var sample = SampleCatalog.Get(Sample);
        _ir = SampleFiles.Read(sample).Ir;
        // Snapshots straight from the control-plane data: what a cycle would read from the live maps.
        var controlPlane = sample.GenerateControlPlane(1);
        using var obj = BpfObject.Open(SampleFiles.Read(sample).BuildBaselineObject(SampleFiles.FrontEndOptions), Sample);
        obj.Load();
        // The cycle's cost model: how much folding the verifier can afford depends on what the original costs it.
        _limits = Kecleon.Runtime.Optimization.OptimizationCycle.LimitsFor(
            Kecleon.Runtime.Optimization.OptimizeOptions.Default, obj.Programs[0].Info().VerifiedInstructions);
        var slot = 0;
        foreach (var name in controlPlane.MapNames)
        {
            var map = obj.Map(name);
            _snapshots[name] = new MapSnapshot(name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries,
                controlPlane.Entries(name).Select(e => (e.Key, e.Value)).ToList(), slot++, 0);
        }
        _optimizedElf = Specialize().Object.Elf;
    }

    [Benchmark]
    public uint Parse()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, _ir, Sample);
        return module.DebugMetadataVersion;
    }

    [Benchmark]
    public int Analyze()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, _ir, Sample);
        using var analysis = ProgramAnalysis.Analyze(module);
        return analysis.MapAccess.Count + analysis.LookupSites.Count();
    }

    /// <summary>Parse, analyze, our passes, LLVM O2 and code generation: IR to object.</summary>
    [Benchmark]
    public int SpecializeAndCodeGen() => Specialize().Object.Elf.Length;

    /// <summary>libbpf load and the kernel verifier for the specialized object.</summary>
    [Benchmark]
    public int Load()
    {
        using var obj = BpfObject.Open(_optimizedElf, Sample);
        obj.Load();
        return obj.Programs[0].Fd;
    }

    private SpecializationResult Specialize()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, _ir, Sample);
        using var analysis = ProgramAnalysis.Analyze(module);
        return Specializer.Specialize(module, analysis, new SpecializationRequest(_snapshots) { Limits = _limits }, CodeGenOptions.Default);
    }
}
