using Kecleon.Interop;

namespace Kecleon.Llvm;

public readonly partial record struct LlvmInstruction
{
    /// <summary>Puts the memory access in the scope <paramref name="scope"/> of <paramref name="domain"/>
    /// (<c>!alias.scope</c>): an access or call marked <see cref="SetNoAlias"/> with the same scope does not touch it.
    /// False, and nothing changed, when the instruction already carries <c>!alias.scope</c>.</summary>
    public bool SetAliasScope(LlvmContext context, string domain, string scope) => SetScopeList(context, "alias.scope", domain, scope);

    /// <summary>States that the access or call never touches memory in <paramref name="scope"/> (<c>!noalias</c>).
    /// False, and nothing changed, when the instruction already carries <c>!noalias</c>.</summary>
    public bool SetNoAlias(LlvmContext context, string domain, string scope) => SetScopeList(context, "noalias", domain, scope);

    private bool SetScopeList(LlvmContext context, string kind, string domain, string scope)
    {
        var id = context.MetadataKind(kind);
        if (LlvmApi.LLVMGetMetadata(Raw, id) != 0)
            return false;
        LlvmApi.LLVMSetMetadata(Raw, id, LlvmMetadata.AliasScopeList(context.Raw, domain, scope));
        return true;
    }
}
