using Kecleon.FrontEnd;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Workloads;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// The program a target is given, read once: its IR, the object its original is loaded from
/// (<see cref="OriginalSelection.ObjectOf"/>), which program of it, and the bundled sample it is, if any (the sample's
/// traffic makes better check packets than random frames).
/// </summary>
/// <param name="Name">The input as the user named it (a path, <c>sample:router</c>), for messages.</param>
public sealed record ProgramInput(string Name, ProgramSource Source, byte[] OriginalElf, string? ProgramName, INetworkFunctionSample? Sample)
{
    /// <summary>A file, compiled (if C) with <paramref name="clangFlags"/>.</summary>
    /// <param name="codeGen">How IR without an object of its own is compiled into the original's object.</param>
    /// <param name="recognizeSamples">A copy of a bundled sample (by name and contents: the build puts copies next to the
    /// tool) is that sample, compiled with the samples' headers too.</param>
    public static ProgramInput ReadFile(string path, IReadOnlyList<string> clangFlags, CodeGenOptions? codeGen = null, string? programName = null,
        bool recognizeSamples = true)
    {
        var sample = recognizeSamples ? BundledSample(path) : null;
        var frontEnd = sample is null
            ? new FrontEndOptions { ClangFlags = clangFlags }
            : SampleFiles.FrontEndOptions with { ClangFlags = [.. SampleFiles.FrontEndOptions.ClangFlags, .. clangFlags] };
        var source = ProgramSource.Read(path, frontEnd);
        return new ProgramInput(path, source, OriginalSelection.ObjectOf(source, frontEnd, codeGen), programName ?? sample?.ProgramName, sample);
    }

    /// <summary>A bundled sample, as <c>sample:NAME</c> names it.</summary>
    public static ProgramInput ReadSample(INetworkFunctionSample sample, string? programName = null)
    {
        var source = SampleFiles.Read(sample);
        return new ProgramInput($"sample:{sample.Name}", source, OriginalSelection.ObjectOf(source, SampleFiles.FrontEndOptions),
            programName ?? sample.ProgramName, sample);
    }

    /// <summary>The bundled sample <paramref name="path"/> is (a copy of), by name and contents.</summary>
    private static INetworkFunctionSample? BundledSample(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return SampleCatalog.All.FirstOrDefault(s => Path.GetFileName(s.SourcePath) == Path.GetFileName(path)
            && File.Exists(SampleFiles.SourceOf(s)) && File.ReadAllBytes(SampleFiles.SourceOf(s)).AsSpan().SequenceEqual(bytes));
    }
}
