using System.Diagnostics.CodeAnalysis;
using Kecleon.Llvm;

namespace Kecleon.Passes;

/// <summary>A rewrite or a decision not to rewrite, for the report (ILSpy's <c>context.Step</c>). A site left alone
/// carries its typed <see cref="Reason"/> where the pass has one; <see cref="What"/> is its text.</summary>
public sealed record PassStep(string Pass, string What, string Where, bool Applied)
{
    public IStepReason? Reason { get; init; }
}

/// <summary>Why a pass left something alone, as data (the specialization planner's reasons); <see cref="Text"/> is what
/// the report prints.</summary>
public interface IStepReason
{
    string Text { get; }
}

/// <summary>
/// What every pass gets (ILSpy's transform context): the module, the inputs the caller provided (by type: a
/// specialization request, instrumentation options ...), cached analyses, the step log and a cancellation token.
/// Passes talk to each other only through typed inputs and analyses, never through each other's members.
/// </summary>
public sealed class PassContext : IDisposable
{
    private readonly List<PassStep> _steps = [];
    private readonly Dictionary<Type, object> _inputs = [];
    private readonly Dictionary<Type, object> _analyses = [];

    public PassContext(LlvmModule module, CancellationToken cancellation = default)
    {
        Module = module;
        Cancellation = cancellation;
    }

    public LlvmModule Module { get; }
    public CancellationToken Cancellation { get; }
    public IReadOnlyList<PassStep> Steps => _steps;

    public void Step(string pass, string what, string where) => _steps.Add(new PassStep(pass, what, where, true));
    public void Skip(string pass, string why, string where) => _steps.Add(new PassStep(pass, why, where, false));
    public void Skip(string pass, IStepReason why, string where) => _steps.Add(new PassStep(pass, why.Text, where, false) { Reason = why });

    /// <summary>Gives the passes <paramref name="value"/> as their input of type <typeparamref name="T"/> (replacing
    /// any earlier one). Inputs are the caller's: the context never disposes them.</summary>
    public PassContext Provide<T>(T value) where T : class
    {
        _inputs[typeof(T)] = value;
        return this;
    }

    /// <summary>The input of type <typeparamref name="T"/>; a pass run without it is a wiring error.</summary>
    public T Input<T>() where T : class =>
        TryInput<T>(out var value) ? value : throw new InvalidOperationException($"the pass context has no {typeof(T).Name}: the pipeline's caller must provide it");

    public bool TryInput<T>([NotNullWhen(true)] out T? value) where T : class
    {
        value = _inputs.TryGetValue(typeof(T), out var found) ? (T)found : null;
        return value is not null;
    }

    /// <summary>The analysis <typeparamref name="T"/> of the module as it is now: cached, or computed now.</summary>
    public T Get<T>() where T : class, IModuleAnalysis<T>
    {
        if (_analyses.TryGetValue(typeof(T), out var cached))
            return (T)cached;
        var computed = T.Compute(this);
        _analyses[typeof(T)] = computed;
        return computed;
    }

    /// <summary>Whether <typeparamref name="T"/> is cached (for tests of invalidation).</summary>
    public bool IsCached<T>() where T : class, IModuleAnalysis<T> => _analyses.ContainsKey(typeof(T));

    /// <summary>Drops (and disposes) every cached analysis <paramref name="preserved"/> does not keep.</summary>
    public void Invalidate(PreservedAnalyses preserved)
    {
        foreach (var type in _analyses.Keys.Where(t => !preserved.Preserves(t)).ToList())
        {
            (_analyses[type] as IDisposable)?.Dispose();
            _analyses.Remove(type);
        }
    }

    public void Dispose() => Invalidate(PreservedAnalyses.None);
}
