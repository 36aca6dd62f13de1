using System.Diagnostics;

namespace Kecleon.Passes;

/// <summary>How long a pass took and whether it changed the module.</summary>
public sealed record PassTiming(string Pass, TimeSpan Elapsed, bool Changed);

/// <summary>
/// Runs an ordered list of passes over one module (ARMeilleure's <c>Translation/Compiler.cs</c>): each pass timed, the
/// module verified after it if it changed it (a broken module never reaches code generation), the analyses it did not
/// preserve dropped, and the IR written to a file after the pass named by <see cref="DumpAfterVariable"/>.
/// </summary>
public sealed class PassManager(string name, IReadOnlyList<IModulePass> passes)
{
    /// <summary>Names a pass (or a comma-separated list; <c>all</c> for every pass) after which the IR is written to
    /// <c>&lt;pipeline&gt;.&lt;n&gt;.&lt;pass&gt;.ll</c> in <see cref="DumpDirectoryVariable"/> (default: the current directory).</summary>
    public const string DumpAfterVariable = "KECLEON_DUMP_IR_AFTER";
    public const string DumpDirectoryVariable = "KECLEON_DUMP_IR_DIR";

    public string Name { get; } = name;
    public IReadOnlyList<IModulePass> Passes { get; } = passes;

    /// <summary>Where each pass's timing and each IR dump is reported; none by default.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The passes after which to dump the IR; from <see cref="DumpAfterVariable"/> by default.</summary>
    public IReadOnlySet<string> DumpAfter { get; init; } = ParseDumpAfter(Environment.GetEnvironmentVariable(DumpAfterVariable));

    public string DumpDirectory { get; init; } = Environment.GetEnvironmentVariable(DumpDirectoryVariable) is { Length: > 0 } directory
        ? directory : Environment.CurrentDirectory;

    public IReadOnlyList<PassTiming> Run(PassContext context)
    {
        var timings = new List<PassTiming>(Passes.Count);
        var clock = new Stopwatch();
        for (var i = 0; i < Passes.Count; i++)
        {
            var pass = Passes[i];
            context.Cancellation.ThrowIfCancellationRequested();
            clock.Restart();
            var result = pass.Run(context);
            var elapsed = clock.Elapsed;
            context.Invalidate(result.Preserved);
            // The IR must stay well formed after every pass that changed it (ILSpy's CheckInvariant); one that left it
            // alone cannot have broken it, and verifying a large module costs a few ms.
            if (result.Changed && context.Module.Verify() is { } broken)
                throw new KecleonException($"internal error: the IR is not well formed after pass '{pass.Name}': {broken}");
            timings.Add(new PassTiming(pass.Name, elapsed, result.Changed));
            Log?.Invoke($"{Name}: {pass.Name} {elapsed.TotalMilliseconds:F2} ms{(result.Changed ? "" : ", unchanged")}");
            if (DumpAfter.Contains(pass.Name) || DumpAfter.Contains("all"))
            {
                var path = Path.Combine(DumpDirectory, $"{Name}.{i}.{pass.Name}.ll");
                File.WriteAllText(path, context.Module.ToString());
                Log?.Invoke($"{Name}: IR after {pass.Name} written to {path}");
            }
        }
        return timings;
    }

    private static HashSet<string> ParseDumpAfter(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
