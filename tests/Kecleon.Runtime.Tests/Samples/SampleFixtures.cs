using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Samples;

/// <summary>Each sample's objects, built once per test run.</summary>
internal static class SampleFixtures
{
    public const int Seed = 1;

    private static readonly Dictionary<string, Lazy<(byte[] Clang, byte[] Kecleon)>> Objects =
        SampleCatalog.All.ToDictionary(s => s.Name, s => new Lazy<(byte[], byte[])>(() =>
        {
            var source = SampleFiles.Read(s);
            return (source.BuildBaselineObject(SampleFiles.FrontEndOptions), Toolchain.Compile(source).Elf);
        }));

    public static TheoryData<string> Names => [.. SampleCatalog.All.Select(s => s.Name)];

    public static byte[] ClangObject(string sample) => Objects[sample].Value.Clang;
    public static byte[] KecleonObject(string sample) => Objects[sample].Value.Kecleon;

    /// <summary>Loads an object of the sample with its own maps, filled with the control plane.</summary>
    public static LoadedVariant Load(string sample, byte[] elf, string name, ControlPlaneData? controlPlane = null)
    {
        var s = SampleCatalog.Get(sample);
        var variant = LoadedVariant.LoadSample(name, elf, s);
        variant.Apply(controlPlane ?? s.GenerateControlPlane(Seed));
        return variant;
    }
}
