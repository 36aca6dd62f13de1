namespace Kecleon.Passes;

/// <summary>One transform over a module (ILSpy's <c>IILTransform</c>): sealed, stateless, safe to run in parallel on
/// different modules. It reads its inputs and analyses from the context, and says what it changed.</summary>
public interface IModulePass
{
    /// <summary>The pass's name in logs, step reports and <see cref="PassManager.DumpAfterVariable"/>.</summary>
    string Name { get; }
    PassResult Run(PassContext context);
}

/// <summary>What a pass did to the module: whether it changed it, and which cached analyses are still valid.</summary>
public sealed record PassResult(bool Changed, PreservedAnalyses Preserved)
{
    /// <summary>The module is untouched: every analysis stays.</summary>
    public static PassResult Unchanged { get; } = new(false, PreservedAnalyses.All);

    /// <summary>The module changed and only <paramref name="preserved"/> (none when empty) stay valid.</summary>
    public static PassResult ChangedKeeping(params Type[] preserved) => new(true, PreservedAnalyses.Only(preserved));

    /// <summary>Changed when <paramref name="changed"/>, keeping <paramref name="preserved"/>; else unchanged.</summary>
    public static PassResult Of(bool changed, params Type[] preserved) => changed ? ChangedKeeping(preserved) : Unchanged;
}

/// <summary>The analyses a pass left valid (LLVM's <c>PreservedAnalyses</c>): all, or a set of analysis types.</summary>
public sealed class PreservedAnalyses
{
    private readonly HashSet<Type>? _types;

    private PreservedAnalyses(HashSet<Type>? types) => _types = types;

    public static PreservedAnalyses All { get; } = new(null);
    public static PreservedAnalyses None { get; } = new([]);
    public static PreservedAnalyses Only(params Type[] types) => types.Length == 0 ? None : new([.. types]);

    public bool Preserves(Type analysis) => _types is null || _types.Contains(analysis);

    public override string ToString() => _types is null ? "all" : _types.Count == 0 ? "none" : string.Join(", ", _types.Select(t => t.Name));
}

/// <summary>
/// An analysis of the module a pass manager runs on, computed on first request and cached until a pass's result does
/// not preserve it (LLVM's new pass manager model). An analysis that owns native resources is <see cref="IDisposable"/>:
/// the context disposes it when it drops it.
/// </summary>
public interface IModuleAnalysis<TSelf> where TSelf : class, IModuleAnalysis<TSelf>
{
    static abstract TSelf Compute(PassContext context);
}
