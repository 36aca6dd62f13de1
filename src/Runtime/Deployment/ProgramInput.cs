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
    /// <summary>The clang flags the C input compiled with (the samples' headers where they apply, then the user's).</summary>
    public FrontEndOptions FrontEnd { get; init; } = FrontEndOptions.Default;

    /// <summary>A program input in any form (<see cref="InputName"/>: a file, or <c>sample:NAME</c>), compiled (if C) with
    /// <paramref name="clangFlags"/> after the samples' headers where they apply.</summary>
    /// <param name="codeGen">How IR without an object of its own is compiled into the original's object.</param>
    /// <param name="recognizeSamples">A copy of a bundled sample (by name and contents: the build puts copies next to the
    /// tool) is that sample.</param>
    public static ProgramInput Read(string input, IReadOnlyList<string> clangFlags, CodeGenOptions? codeGen = null, string? programName = null,
        bool recognizeSamples = true)
    {
        var name = InputName.Resolve(input, clangFlags, recognizeSamples);
        var source = name.Read();
        return new ProgramInput(name.Name, source, OriginalSelection.ObjectOf(source, name.FrontEnd, codeGen), programName ?? name.Sample?.ProgramName, name.Sample)
        {
            FrontEnd = name.FrontEnd,
        };
    }
}
