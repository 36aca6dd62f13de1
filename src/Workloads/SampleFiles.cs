using Kecleon.FrontEnd;

namespace Kecleon.Workloads;

/// <summary>Finds the bundled samples' sources: next to the tool, in the repository, or where KECLEON_SAMPLES says.</summary>
public static class SampleFiles
{
    public static string Directory { get; } = Locate();

    public static string SourceOf(INetworkFunctionSample sample) => Path.Combine(Directory, sample.SourcePath);

    /// <summary>The clang flags every sample compiles with (its shared headers).</summary>
    public static FrontEndOptions FrontEndOptions => new() { ClangFlags = ["-I", Path.Combine(Directory, "include")] };

    public static ProgramSource Read(INetworkFunctionSample sample) => ProgramSource.Read(SourceOf(sample), FrontEndOptions);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("KECLEON_SAMPLES") is { Length: > 0 } custom)
            return custom;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "include", "kecleon_net.h")))
                return candidate;
        }
        throw new MissingDependencyException(
            $"cannot find the bundled samples near {AppContext.BaseDirectory}; set KECLEON_SAMPLES to the samples/ folder");
    }
}
