using System.Reflection;
using System.Runtime.InteropServices;

namespace Kecleon.Bench;

/// <summary>Where a bench ran, for the report's header: the kernel, the CPU, Kecleon's version and commit, the .NET
/// runtime and the time.</summary>
public sealed record BenchEnvironment(string Kernel, string Cpu, int Cores, string Version, string Runtime, DateTimeOffset Date)
{
    public static BenchEnvironment Capture()
    {
        // The SDK stamps the commit into the informational version ("1.0.0+<sha>").
        var version = typeof(BenchEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        if (version.IndexOf('+', StringComparison.Ordinal) is var plus and > 0 && version.Length - plus > 13)
            version = version[..(plus + 13)];
        return new BenchEnvironment(Read("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription, CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount, version, RuntimeInformation.FrameworkDescription, DateTimeOffset.UtcNow);
    }

    /// <summary>One line: <c>kernel 6.8.0 · Intel(R) Xeon(R) ... · 2 cores · kecleon 1.0.0+abc · .NET 10.0.0 · 2026-12-06 17:30 UTC</c>.</summary>
    public override string ToString() =>
        $"kernel {Kernel} · {Cpu} · {Cores} cores · kecleon {Version} · {Runtime} · {Date.UtcDateTime:yyyy-MM-dd HH:mm} UTC";

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? CpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n').Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
}
