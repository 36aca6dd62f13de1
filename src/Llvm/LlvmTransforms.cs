using Kecleon.Interop;

namespace Kecleon.Llvm;

/// <summary>LLVM linkage kinds we set.</summary>
public enum LlvmLinkage { External = 0, Internal = 8, Private = 9 }

public readonly partial record struct LlvmFunction
{
    public LlvmLinkage Linkage { set => LlvmApi.LLVMSetLinkage(Raw, (int)value); }

    /// <summary>Gives the function a new name (LLVM adds a suffix if the name is taken).</summary>
    public void Rename(string name) => LlvmApi.SetValueName(Raw, name);
    public string SectionName { set => LlvmApi.LLVMSetSection(Raw, value); }
    public LlvmType FunctionType => new(LlvmApi.LLVMGlobalGetValueType(Raw));

    /// <summary>
    /// Puts a new block named <paramref name="name"/> before the entry block and moves the old entry's allocas into it
    /// (allocas outside the entry block are dynamic stack allocations, which BPF has not); leaves
    /// <paramref name="builder"/> at its end with <paramref name="location"/> and returns the old entry block.
    /// </summary>
    public LlvmBasicBlock PrependEntry(LlvmContext context, LlvmBuilder builder, string name, nint location)
    {
        var oldEntry = EntryBlock;
        var first = AppendBlock(context, name);
        first.MoveBefore(oldEntry);
        builder.PositionAtEnd(first);
        builder.DebugLocation = location;
        foreach (var alloca in oldEntry.Instructions.Where(i => i.Opcode == LlvmOpcode.Alloca).ToList())
            alloca.MoveTo(builder);
        return oldEntry;
    }

    /// <summary>Adds an enum attribute such as <c>alwaysinline</c> to the function itself.</summary>
    public void AddAttribute(LlvmContext context, string name)
    {
        var kind = LlvmApi.LLVMGetEnumAttributeKindForName(name);
        if (kind == 0)
            throw new ArgumentException($"LLVM has no attribute '{name}'", nameof(name));
        LlvmApi.LLVMAddAttributeAtIndex(Raw, uint.MaxValue /* LLVMAttributeFunctionIndex */, LlvmApi.LLVMCreateEnumAttribute(context.Raw, kind, 0));
    }
}

public readonly partial record struct LlvmGlobal
{
    public LlvmLinkage Linkage { set => LlvmApi.LLVMSetLinkage(Raw, (int)value); }

    /// <summary>Internal or private: the global is not shared with other modules when they are linked.</summary>
    public bool IsLocal => LlvmApi.LLVMGetLinkage(Raw) is (int)LlvmLinkage.Internal or (int)LlvmLinkage.Private;

    /// <summary>Drops the initializer, so the global becomes a declaration that linking resolves to another module's
    /// definition of the same name.</summary>
    public void MakeDeclaration() => LlvmApi.LLVMSetInitializer(Raw, 0);

    /// <summary>Deletes the global (it must have no uses).</summary>
    public void Delete() => LlvmApi.LLVMDeleteGlobal(Raw);
}

public readonly partial record struct LlvmBasicBlock
{
    /// <summary>Moves this block before <paramref name="other"/>; before the entry block, it becomes the entry.</summary>
    public void MoveBefore(LlvmBasicBlock other) => LlvmApi.LLVMMoveBasicBlockBefore(Raw, other.Raw);
}

public readonly partial record struct LlvmInstruction
{
    /// <summary>The function type a call was made with (for BPF helpers, the type of the inttoptr'd helper).</summary>
    public LlvmType CalledFunctionType => new(LlvmApi.LLVMGetCalledFunctionType(Raw));

    public LlvmInstruction? Previous =>
        LlvmApi.LLVMGetPreviousInstruction(Raw) is var p and not 0 ? new LlvmInstruction(p) : null;

    /// <summary>Takes the instruction out of its block (without deleting it) and inserts it where the builder is.</summary>
    public void MoveTo(LlvmBuilder builder)
    {
        LlvmApi.LLVMInstructionRemoveFromParent(Raw);
        LlvmApi.LLVMInsertIntoBuilder(builder.Raw, Raw);
    }
}

public static class LlvmModuleTransforms
{
    public static LlvmType ArrayOf(this LlvmType element, int length) => new(LlvmApi.LLVMArrayType(element.Raw, (uint)length));

    /// <summary>Links <paramref name="source"/> into <paramref name="destination"/>; the source module is consumed.</summary>
    public static void Link(this LlvmModule destination, LlvmModule source)
    {
        var name = source.Identifier;
        var raw = source.Release();
        var status = LlvmGuard.LinkModules(destination.Raw, raw);
        if (status == LlvmGuardStatus.Fatal)
            throw destination.Context.Abandoned(LlvmGuard.Reason, $"linking {name} into", destination.Identifier);
        if (status != LlvmGuardStatus.Ok)
            throw new KecleonException($"linking {name} into {destination.Identifier} failed" +
                                       (status == LlvmGuardStatus.Diagnosed ? $": {LlvmGuard.Reason}" : ""));
    }

    public static LlvmFunction AddFunction(this LlvmModule module, string name, LlvmType functionType) =>
        new(LlvmApi.LLVMAddFunction(module.Raw, name, functionType.Raw));

    /// <summary>The declaration of an overloaded intrinsic such as <c>llvm.bswap</c> for the given types.</summary>
    public static LlvmFunction Intrinsic(this LlvmModule module, string name, params LlvmType[] overloadTypes)
    {
        var id = LlvmApi.LLVMLookupIntrinsicID(name);
        if (id == 0)
            throw new ArgumentException($"LLVM has no intrinsic '{name}'", nameof(name));
        return new LlvmFunction(LlvmApi.LLVMGetIntrinsicDeclaration(module.Raw, id, overloadTypes.Select(t => t.Raw).ToArray()));
    }

    public static LlvmType Struct(this LlvmContext context, params LlvmType[] elements) =>
        new(LlvmApi.LLVMStructTypeInContext(context.Raw, elements.Select(t => t.Raw).ToArray(), packed: false));

    public static LlvmValue ConstStruct(this LlvmContext context, params LlvmValue[] values) =>
        new(LlvmApi.LLVMConstStructInContext(context.Raw, values.Select(v => v.Raw).ToArray(), packed: false));

    public static LlvmValue ExtractValue(this LlvmBuilder builder, LlvmValue aggregate, int index, string name = "") =>
        new(LlvmApi.LLVMBuildExtractValue(builder.Raw, aggregate.Raw, (uint)index, name));

    public static LlvmValue InsertValue(this LlvmBuilder builder, LlvmValue aggregate, LlvmValue element, int index, string name = "") =>
        new(LlvmApi.LLVMBuildInsertValue(builder.Raw, aggregate.Raw, element.Raw, (uint)index, name));

    public static LlvmValue LShr(this LlvmBuilder builder, LlvmValue value, LlvmValue bits, string name = "") =>
        new(LlvmApi.LLVMBuildLShr(builder.Raw, value.Raw, bits.Raw, name));

    public static LlvmValue Shl(this LlvmBuilder builder, LlvmValue value, LlvmValue bits, string name = "") =>
        new(LlvmApi.LLVMBuildShl(builder.Raw, value.Raw, bits.Raw, name));

    public static LlvmValue Trunc(this LlvmBuilder builder, LlvmValue value, LlvmType type, string name = "") =>
        new(LlvmApi.LLVMBuildTrunc(builder.Raw, value.Raw, type.Raw, name));

    public static LlvmValue IntToPtr(this LlvmBuilder builder, LlvmValue value, LlvmType type, string name = "") =>
        new(LlvmApi.LLVMBuildIntToPtr(builder.Raw, value.Raw, type.Raw, name));
}

public readonly partial record struct LlvmFunction
{
    /// <summary>Removes an enum attribute such as <c>alwaysinline</c> from the function itself (nothing if absent).</summary>
    public void RemoveAttribute(string name)
    {
        var kind = LlvmApi.LLVMGetEnumAttributeKindForName(name);
        if (kind != 0)
            LlvmApi.LLVMRemoveEnumAttributeAtIndex(Raw, uint.MaxValue /* LLVMAttributeFunctionIndex */, kind);
    }

    /// <summary>Deletes the function (it must have no uses; see <see cref="LlvmModuleTransforms.DropFromUsedLists"/>).</summary>
    public void Delete() => LlvmApi.LLVMDeleteFunction(Raw);
}

public readonly partial record struct LlvmInstruction
{
    /// <summary>Removes what <see cref="SetTag"/> attached under <paramref name="kind"/>.</summary>
    public void ClearTag(LlvmContext context, string kind) => LlvmApi.LLVMSetMetadata(Raw, context.MetadataKind(kind), 0);
}

public static class LlvmUsedLists
{
    /// <summary>Takes <paramref name="functions"/> out of <c>llvm.used</c> and <c>llvm.compiler.used</c> (clang lists every
    /// <c>SEC()</c> function there), so that they can be deleted; each list is rebuilt without them.</summary>
    public static void DropFromUsedLists(this LlvmModule module, IReadOnlySet<LlvmFunction> functions) =>
        module.DropFromUsedLists(e => functions.Contains(e.AsFunction()));

    /// <summary>Takes <paramref name="global"/> out of <c>llvm.used</c> and <c>llvm.compiler.used</c> (clang lists every
    /// <c>SEC(".maps")</c> map there), so that it can be deleted.</summary>
    public static void DropFromUsedLists(this LlvmModule module, LlvmGlobal global) =>
        module.DropFromUsedLists(e => e.Raw == global.Raw);

    private static void DropFromUsedLists(this LlvmModule module, Func<LlvmValue, bool> drop)
    {
        foreach (var name in (string[])["llvm.used", "llvm.compiler.used"])
        {
            if (module.GetGlobal(name) is not { } list || list.IsDeclaration)
                continue;
            var initializer = list.Initializer;
            var kept = initializer.Operands.Where(e => !drop(Stripped(e))).Select(e => e.Raw).ToArray();
            if (kept.Length == initializer.OperandCount)
                continue;
            var elementType = list.ValueType.ElementType;
            var section = list.Section;
            list.Delete();
            if (kept.Length == 0)
                continue;
            var rebuilt = LlvmApi.LLVMAddGlobal(module.Raw, elementType.ArrayOf(kept.Length).Raw, name);
            LlvmApi.LLVMSetInitializer(rebuilt, LlvmApi.ConstArray(elementType.Raw, kept));
            LlvmApi.LLVMSetLinkage(rebuilt, 7 /* LLVMAppendingLinkage */);
            LlvmApi.LLVMSetSection(rebuilt, section);
        }

        static LlvmValue Stripped(LlvmValue value)
        {
            while (value.IsConstantExpression && value.ConstantOpcode == LlvmOpcode.BitCast)
                value = value.Operand(0);
            return value;
        }
    }
}
