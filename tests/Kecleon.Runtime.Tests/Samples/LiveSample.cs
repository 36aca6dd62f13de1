using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Tests.Samples;

/// <summary>A bundled sample loaded with its control plane (seed <see cref="SampleFixtures.Seed"/>), with a guard table
/// opened on first use, for tests that optimize or profile it.</summary>
internal sealed class LiveSample : IDisposable
{
    private GuardTable? _guards;

    public LiveSample(string sample, string name = "live")
    {
        Sample = SampleCatalog.Get(sample);
        ControlPlane = Sample.GenerateControlPlane(SampleFixtures.Seed);
        Program = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), name, ControlPlane);
    }

    public INetworkFunctionSample Sample { get; }
    public ControlPlaneData ControlPlane { get; }
    public LoadedVariant Program { get; }
    public GuardTable Guards => _guards ??= GuardTable.Open();
    public Kecleon.FrontEnd.ProgramSource Source => SampleFiles.Read(Sample);

    public OptimizedProgram Optimize(IReadOnlyList<byte[]> checkPackets, OptimizeOptions? options = null) =>
        OptimizationCycle.Run(Source, Program, SampleFixtures.ClangObject(Sample.Name), Guards, checkPackets, options);

    public void Dispose()
    {
        Program.Dispose();
        _guards?.Dispose();
    }
}
