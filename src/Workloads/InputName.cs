using Kecleon.FrontEnd;

namespace Kecleon.Workloads;

/// <summary>
/// A program input as a user names it, resolved once for every command and the daemon's <c>source</c>: a file (C,
/// <c>.ll</c>, <c>.bc</c>, or an object with <c>.llvmbc</c>) or a bundled sample (<c>sample:NAME</c>). C inside a samples
/// tree (a folder whose parent holds <c>include/kecleon_net.h</c>, as the bundled <c>samples/</c> does) and copies of a
/// bundled sample compile with the samples' headers, so <c>samples/router/router.bpf.c</c> works wherever
/// <c>sample:router</c> does.
/// </summary>
/// <param name="Name">The input as the user named it, for messages.</param>
/// <param name="Path">The file read.</param>
/// <param name="FrontEnd">The clang flags C input compiles with: the samples' include folder (where it applies), then the user's.</param>
/// <param name="Sample">The bundled sample it is (named, or a copy by name and contents), if any.</param>
public sealed record InputName(string Name, string Path, FrontEndOptions FrontEnd, INetworkFunctionSample? Sample)
{
    public const string SamplePrefix = "sample:";

    /// <summary>The forms an input may take, for help and messages.</summary>
    public const string Forms = "a C source (.c), LLVM IR (.ll), bitcode (.bc), a BPF object built with -fembed-bitcode (.o), or sample:NAME";

    /// <summary>Whether <paramref name="input"/> names a bundled sample rather than a file.</summary>
    public static bool IsSample(string input) => input.StartsWith(SamplePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The sample <c>sample:NAME</c> names; an unknown name is a usage error listing the samples (exit 64).</summary>
    public static INetworkFunctionSample SampleNamed(string input)
    {
        var name = IsSample(input) ? input[SamplePrefix.Length..] : input;
        return SampleCatalog.TryGet(name, out var sample)
            ? sample
            : throw new UsageException($"no bundled sample '{name}'; the samples are {SampleList}" + (Nearest(name) is { } near ? $"; did you mean {SamplePrefix}{near}?" : ""));
    }

    /// <summary>The sample nearest a mistyped name, if any is near enough.</summary>
    private static string? Nearest(string name) => Suggestions.Nearest(name.ToLowerInvariant(), SampleCatalog.All.Select(s => s.Name)).FirstOrDefault();

    /// <summary>The samples as inputs name them (<c>sample:router, ...</c>).</summary>
    public static string SampleList => string.Join(", ", SampleCatalog.All.Select(s => SamplePrefix + s.Name));

    /// <summary>Resolves <paramref name="input"/> without reading it: a missing file exits 66, an unknown sample 64.</summary>
    /// <param name="recognizeSamples">Whether a file that is a copy of a bundled sample is that sample (its traffic makes
    /// better check packets); it gets the samples' headers either way.</param>
    public static InputName Resolve(string input, IReadOnlyList<string>? clangFlags = null, bool recognizeSamples = true)
    {
        clangFlags ??= [];
        if (IsSample(input))
        {
            var sample = SampleNamed(input);
            return new InputName(SamplePrefix + sample.Name, SampleFiles.SourceOf(sample), WithSampleHeaders(SampleFiles.Directory, clangFlags), sample);
        }
        if (input.Length == 0)
            throw new UsageException($"the program input is empty; give {Forms}");
        if (Directory.Exists(input))
            throw new InputNotFoundException($"{input} is a folder; give {Forms}");
        if (!File.Exists(input))
            throw new InputNotFoundException($"{input}: no such file (give {Forms})");
        var copy = BundledSample(input);
        var samplesTree = copy is not null ? SampleFiles.Directory : SamplesTreeOf(input);
        // A copy of a sample includes its stage header (router.h) from the sample's own folder.
        if (copy is not null)
            clangFlags = ["-I", System.IO.Path.GetDirectoryName(SampleFiles.SourceOf(copy))!, .. clangFlags];
        return new InputName(input, input,
            samplesTree is null ? new FrontEndOptions { ClangFlags = clangFlags } : WithSampleHeaders(samplesTree, clangFlags),
            recognizeSamples ? copy : null);
    }

    /// <summary>Reads the program into IR (compiling C).</summary>
    public ProgramSource Read() => ProgramSource.Read(Path, FrontEnd);

    private static FrontEndOptions WithSampleHeaders(string samplesFolder, IReadOnlyList<string> clangFlags) =>
        new() { ClangFlags = ["-I", System.IO.Path.Combine(samplesFolder, "include"), .. clangFlags] };

    /// <summary>The samples folder a C file lies in (its folder's parent holds <c>include/kecleon_net.h</c>), if any.</summary>
    private static string? SamplesTreeOf(string path)
    {
        if (!path.EndsWith(".c", StringComparison.OrdinalIgnoreCase))
            return null;
        var parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)));
        return parent is not null && File.Exists(System.IO.Path.Combine(parent, "include", "kecleon_net.h")) ? parent : null;
    }

    /// <summary>The bundled sample <paramref name="path"/> is a copy of, by name and contents.</summary>
    private static INetworkFunctionSample? BundledSample(string path)
    {
        var candidates = SampleCatalog.All.Where(s => System.IO.Path.GetFileName(s.SourcePath) == System.IO.Path.GetFileName(path)).ToList();
        if (candidates.Count == 0)
            return null;
        var bytes = File.ReadAllBytes(path);
        return candidates.FirstOrDefault(s => File.Exists(SampleFiles.SourceOf(s)) && File.ReadAllBytes(SampleFiles.SourceOf(s)).AsSpan().SequenceEqual(bytes));
    }
}
