using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Checking;

/// <summary>What <c>kecleon diff</c> asks for: two variants of a program, each loaded with its own maps holding
/// <paramref name="ControlPlane"/>, run on the same packets.</summary>
/// <param name="A">A BPF object (loaded as it is) or a program compiled by Kecleon (.c, .ll, .bc).</param>
/// <param name="Fuzz">Random and malformed packets fed after <paramref name="Packets"/> (mutations of them), from
/// <paramref name="Seed"/>.</param>
public sealed record DiffRequest(string A, string B, IReadOnlyList<byte[]> Packets, ControlPlaneData ControlPlane, string? ProgramName)
{
    public int Fuzz { get; init; }
    public int Seed { get; init; } = 1;
    public DiffOptions Options { get; init; } = DiffOptions.Default;
    /// <summary>Extra clang flags for a C variant (<c>--cflag</c>).</summary>
    public IReadOnlyList<string> ClangFlags { get; init; } = [];

    /// <summary>Each variant's maps from its object (opened, not loaded) instead of <see cref="ControlPlane"/>: a
    /// <see cref="Deployment.MapSource"/>'s contents checked against that variant's maps (<c>--maps-from</c>,
    /// <c>--maps</c>).</summary>
    public Func<Bpf.BpfObject, ControlPlaneData>? MapsFor { get; init; }
}

/// <summary><c>kecleon diff</c>: loads both variants and compares them packet by packet (<see cref="DifferentialChecker"/>).</summary>
public static class DiffSession
{
    public static DiffReport Run(DiffRequest request)
    {
        var packets = request.Fuzz > 0 ? [.. request.Packets, .. PacketFuzzer.Generate(request.Packets, request.Fuzz, request.Seed)] : request.Packets;
        using var a = Load(request.A, request.ProgramName, request, "A");
        using var b = Load(request.B, request.ProgramName, request, "B");
        return DifferentialChecker.Check(a, b, packets, request.Options);
    }

    private static LoadedVariant Load(string path, string? program, DiffRequest request, string label)
    {
        var clangFlags = request.ClangFlags;
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new InputNotFoundException($"{path}: no such file");
        var elf = ProgramSource.Detect(path, bytes) == SourceKind.EmbeddedBitcode
            ? bytes
            : Toolchain.Compile(ProgramSource.Read(path, SampleFiles.FrontEndOptions with
            {
                ClangFlags = [.. SampleFiles.FrontEndOptions.ClangFlags, .. clangFlags],
            })).Elf;
        var controlPlane = request.ControlPlane;
        if (request.MapsFor is { } mapsFor)
            using (var obj = Bpf.BpfObject.Open(elf, Path.GetFileName(path)))
                controlPlane = mapsFor(obj);
        var variant = LoadedVariant.Load($"{label}:{Path.GetFileName(path)}", elf, program);
        try
        {
            variant.Apply(controlPlane);
            return variant;
        }
        catch
        {
            variant.Dispose();
            throw;
        }
    }
}
