using Kecleon.Analyses;
using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Maps;

namespace Kecleon.Access;

/// <summary>The result of <see cref="AccessClassifier.Classify"/>.</summary>
internal sealed record AccessResult(
    IReadOnlyList<HelperCallSite> Sites,
    IReadOnlyList<MapAccessSummary> Maps,
    IReadOnlyDictionary<LlvmFunction, IReadOnlySet<MapDefinition>> MapsByFunction,
    IReadOnlyList<AnalysisFinding> Findings);

/// <summary>
/// Classifies every map and lookup site as read-only, written or may-write. Three walks, all over
/// <see cref="PointerUses"/>: from each map definition to the helpers it is given to; from each global variable to its
/// loads and stores; from each lookup's result to what is done through it. Stateless.
/// </summary>
internal static class AccessClassifier
{
    public static AccessResult Classify(LlvmModule module, MapModel maps, CallGraph calls, Func<LlvmFunction, ControlFlowGraph> cfgOf,
        LlvmDataLayout layout, AnalysisOptions options)
    {
        var findings = new List<AnalysisFinding>();
        var evidence = maps.Maps.ToDictionary(m => m, _ => new List<AccessEvidence>());
        var byFunction = new Dictionary<LlvmFunction, HashSet<MapDefinition>>();
        void Referenced(LlvmValue user, MapDefinition map)
        {
            if (!user.IsInstruction)
                return;
            var function = user.AsInstruction().Block.Parent;
            if (!byFunction.TryGetValue(function, out var set))
                byFunction[function] = set = [];
            set.Add(map);
        }

        var sites = FindSites(module, cfgOf, findings);
        var siteByCall = sites.ToDictionary(s => s.Call);
        var siteMaps = sites.ToDictionary(s => s, _ => new List<MapDefinition>());
        // The calls to subprograms each map is passed through, to keep apart what different callers do with the result.
        var passedAt = maps.Maps.ToDictionary(m => m, _ => new HashSet<LlvmInstruction>());

        // Maps with a write no key is known for (an escape, a helper we do not model): never classed per key.
        var writtenWithoutKey = new HashSet<MapDefinition>();
        // 1. Map definitions: which helpers get them.
        foreach (var map in maps.Maps.Where(m => m.Origin == MapOrigin.Defined))
        {
            foreach (var use in PointerUses.Walk(map.Globals[0].Value, calls))
            {
                Referenced(use.User, map);
                var where = Where(use.User);
                switch (use.Kind)
                {
                    case PointerUseKind.GlobalInitializer when use.User.Name.StartsWith("llvm.", StringComparison.Ordinal):
                    case PointerUseKind.Compare:
                        break;
                    case PointerUseKind.PassedToFunction:
                        passedAt[map].Add(use.Instruction!.Value);
                        break;
                    case PointerUseKind.GlobalInitializer when use.User.AsGlobal().Section == ".maps":
                        writtenWithoutKey.Add(map);
                        evidence[map].Add(new AccessEvidence(MapAccess.MayWrite,
                            $"inner map of map-in-map {use.User.Name}: programs reach it through lookups we cannot attribute", ""));
                        break;
                    case PointerUseKind.HelperArgument when use.Argument == use.Helper!.MapArgument:
                        var site = siteByCall[use.Instruction!.Value];
                        siteMaps[site].Add(map);
                        switch (use.Helper.MapEffect)
                        {
                            case MapEffect.Write:
                                evidence[map].Add(new AccessEvidence(MapAccess.Written, use.Helper.Name, where));
                                break;
                            case MapEffect.TailCall:
                                evidence[map].Add(new AccessEvidence(MapAccess.MayWrite,
                                    "bpf_tail_call: the control plane replaces the programs in a PROG_ARRAY at any time", where));
                                break;
                            case MapEffect.Unknown:
                                evidence[map].Add(new AccessEvidence(MapAccess.MayWrite, $"given to {use.Helper.Name}, which may write it", where));
                                break;
                        }
                        break;
                    case PointerUseKind.HelperArgument:
                        writtenWithoutKey.Add(map);
                        evidence[map].Add(new AccessEvidence(MapAccess.MayWrite,
                            $"given to {use.Helper!.Name} (argument {use.Argument + 1}), which we do not model", where));
                        break;
                    default:
                        writtenWithoutKey.Add(map);
                        evidence[map].Add(new AccessEvidence(MapAccess.MayWrite, $"the map's address escapes ({Describe(use)})", where));
                        findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, where, $"map {map.Name}: {Describe(use)}"));
                        break;
                }
            }
        }

        // 2. Global data: loads and stores of the variables.
        foreach (var map in maps.Maps.Where(m => m.Origin == MapOrigin.GlobalData))
            foreach (var global in map.Globals)
                foreach (var use in PointerUses.Walk(global.Value, calls))
                {
                    Referenced(use.User, map);
                    if (Classify(use, global.Name) is { } found)
                        evidence[map].Add(found);
                }

        // 3. Lookup results: what is done through the pointer.
        var values = new ValueOrigins(layout);
        string LookupMaps(LlvmInstruction call) => siteByCall.TryGetValue(call, out var s) ? s.MapNames : "?";
        foreach (var site in sites)
            site.Maps = siteMaps[site].Distinct().ToList();
        var lookupEvidence = new List<(MapDefinition Map, AccessEvidence Evidence, int Site)>();
        var usesOf = new Dictionary<HelperCallSite, List<PointerUse>>();
        foreach (var site in sites.Where(s => s.IsLookup))
        {
            var uses = PointerUses.Walk(site.Call.Value, calls);
            usesOf[site] = uses;
            var found = new List<AccessEvidence>();
            var isMapInMap = site.Maps.Any(m => m.IsMapInMap);
            if (site.Maps.Count > 1)
            {
                // A subprogram called with different maps: follow the result back only into the callers that passed
                // each map, so one caller's writes do not taint another caller's map.
                foreach (var map in site.Maps)
                {
                    var own = PointerUses.Walk(site.Call.Value, calls, edge => passedAt[map].Contains(edge.Site) || !ReachedThrough(edge, passedAt[map]));
                    foreach (var use in own)
                        if (Classify(use, "the value") is { } e)
                            lookupEvidence.Add((map, e, site.Index));
                }
            }
            foreach (var use in uses)
            {
                if (isMapInMap && use.Kind == PointerUseKind.HelperArgument && use.Argument == use.Helper!.MapArgument)
                {
                    var inner = siteByCall[use.Instruction!.Value];
                    inner.InnerMapOf = site.MapNames;
                    found.Add(new AccessEvidence(inner.Helper.MapEffect is MapEffect.Lookup or MapEffect.Read ? MapAccess.MayWrite : MapAccess.Written,
                        $"inner map given to {use.Helper.Name}", Where(use.User)));
                    continue;
                }
                if (Classify(use, "the value") is { } e)
                    found.Add(e);
            }
            if (isMapInMap)
                found.Add(new AccessEvidence(MapAccess.MayWrite, "map-in-map: the inner maps are not modelled", Where(site.Call.Value)));
            site.ResultEvidence = found;
            site.ResultAccess = found.Select(f => f.Access).DefaultIfEmpty(MapAccess.ReadOnly).Max();
            site.Uses = Count(uses);
            if (site.Maps.Count <= 1)
                foreach (var map in site.Maps)
                    lookupEvidence.AddRange(found.Select(f => (map, f, site.Index)));
        }
        // One line per kind of write and place, naming the lookups (kn_count inlined ten times is one line, not ten).
        foreach (var group in lookupEvidence.GroupBy(e => (e.Map, e.Evidence)))
            evidence[group.Key.Map].Add(group.Key.Evidence with
            {
                Reason = $"{group.Key.Evidence.Reason} (value from lookup{(group.Count() > 1 ? "s" : "")} {string.Join(", ", group.Select(g => $"#{g.Site}").Distinct())})",
            });
        // Inner-map sites: their "map" is whatever the outer map holds.
        foreach (var site in sites.Where(s => s.InnerMapOf is not null && s.IsLookup))
            site.ResultAccess = site.ResultAccess.Join(MapAccess.MayWrite);

        // 4. Keys.
        var keys = new KeyOrigins(values, cfgOf, LookupMaps);
        foreach (var site in sites.Where(s => s.Helper.Id is BpfHelpers.MapLookupElem or BpfHelpers.MapUpdateElem or BpfHelpers.MapDeleteElem or 195))
        {
            var keySize = site.Maps.Count == 1 ? site.Maps[0].KeySize : 0;
            site.Key = site.Call.ArgumentCount > 1 ? keys.Find(site.Call, site.Call.Argument(1), keySize) : KeyOrigin.Unknown;
        }

        // 5. What the caller knows: maps other loaded programs write.
        foreach (var name in options.WrittenByOtherPrograms.Order(StringComparer.Ordinal))
        {
            var map = maps.Find(name);
            if (map is null)
                findings.Add(new AnalysisFinding(FindingKind.Note, "", $"'{name}' is said to be written by another program, but no map has that name"));
            else
                evidence[map].Add(new AccessEvidence(MapAccess.Written, "written by another loaded program that shares it", "") { ByOtherProgram = true });
        }

        // 6. Per constant key and per field, for the maps the data plane writes.
        var keyClasses = new KeyClasses(values, sites, usesOf);

        var summaries = new List<MapAccessSummary>();
        foreach (var map in maps.Maps)
        {
            var list = evidence[map];
            if (map.IsMapInMap)
                list.Add(new AccessEvidence(MapAccess.MayWrite, "map-in-map: which inner map a slot holds, and what is done to it, is not modelled", ""));
            var access = list.Select(e => e.Access).DefaultIfEmpty(MapAccess.ReadOnly).Max();
            if (map.IsReadOnlyForPrograms)
            {
                // The verifier enforces it, whatever we only suspect. A store the program certainly makes (a program
                // writing a .kconfig extern, say) stays written: the verifier will refuse the program, and the report
                // must not call the map read-only.
                list.Insert(0, new AccessEvidence(MapAccess.ReadOnly, "BPF_F_RDONLY_PROG: the verifier refuses writes from programs", ""));
                if (!list.Any(e => e.Access == MapAccess.Written && e.Where.Length > 0))
                    access = MapAccess.ReadOnly;
                else
                    findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, "",
                        $"{map.Name} is read-only for programs (BPF_F_RDONLY_PROG) but the program stores to it: the verifier will refuse it"));
            }
            var (written, noClasses) = access == MapAccess.ReadOnly ? (null, null)
                : list.Any(e => e.ByOtherProgram) && list.All(e => e.ByOtherProgram) ? (null, null)
                : keyClasses.Of(map, writtenWithoutKey.Contains(map) || map.IsMapInMap || map.IsReadOnlyForPrograms);
            summaries.Add(new MapAccessSummary(map, access, Deduplicate(list)) { WrittenKeys = written, NoKeyClasses = noClasses });
        }
        return new AccessResult(sites, summaries,
            byFunction.ToDictionary(p => p.Key, p => (IReadOnlySet<MapDefinition>)p.Value), findings);
    }

    /// <summary>Whether the map came into the callee of <paramref name="edge"/> through an argument at some call of it.</summary>
    private static bool ReachedThrough(CallEdge edge, HashSet<LlvmInstruction> passedAt) =>
        passedAt.Any(call => CallGraph.StripCasts(call.CalledValue) == edge.Target.Value);

    /// <summary>The class one use of a value or variable implies, or null when it only reads.</summary>
    private static AccessEvidence? Classify(PointerUse use, string what)
    {
        var where = Where(use.User);
        return use.Kind switch
        {
            PointerUseKind.Load or PointerUseKind.CopyFrom or PointerUseKind.Compare or PointerUseKind.PassedToFunction => null,
            PointerUseKind.Store => new AccessEvidence(MapAccess.Written, $"store to {what}", where),
            PointerUseKind.Atomic => new AccessEvidence(MapAccess.Written, $"atomic update of {what}", where),
            PointerUseKind.CopyTo => new AccessEvidence(MapAccess.Written, $"memcpy into {what}", where),
            PointerUseKind.Fill => new AccessEvidence(MapAccess.Written, $"memset of {what}", where),
            PointerUseKind.HelperArgument => use.Helper!.ArgumentEffect(use.Argument) switch
            {
                PointerEffect.Reads => null,
                PointerEffect.Writes => new AccessEvidence(MapAccess.Written, $"{use.Helper.Name} writes {what}", where),
                _ => new AccessEvidence(MapAccess.MayWrite, $"{what} given to {use.Helper.Name} (argument {use.Argument + 1}), which may write it", where),
            },
            PointerUseKind.GlobalInitializer when use.User.Name.StartsWith("llvm.", StringComparison.Ordinal) => null,
            _ => new AccessEvidence(MapAccess.MayWrite, $"pointer to {what} escapes ({Describe(use)})", where),
        };
    }

    private static string Describe(PointerUse use) => use.Kind switch
    {
        PointerUseKind.StoredToMemory => "stored to memory",
        PointerUseKind.PointerToInteger => "ptrtoint",
        PointerUseKind.UnknownCall => $"passed to {CalleeName(use)}",
        PointerUseKind.InlineAsm => "passed to inline asm",
        PointerUseKind.GlobalInitializer => $"named in the initializer of {use.User.Name}",
        PointerUseKind.HelperArgument => $"given to {use.Helper!.Name}",
        _ => use.Instruction is { } i ? $"used by {i.Opcode.ToString().ToLowerInvariant()}" : "used by a constant expression",
    };

    private static string CalleeName(PointerUse use) =>
        use.Instruction is { } call && CallGraph.StripCasts(call.CalledValue) is { IsFunction: true } f ? f.Name : "an indirect call";

    private static ResultUses Count(List<PointerUse> uses) => new(
        uses.Count(u => u.Kind == PointerUseKind.Load),
        uses.Count(u => u.Kind == PointerUseKind.Store),
        uses.Count(u => u.Kind == PointerUseKind.Atomic),
        uses.Count(u => u.Kind == PointerUseKind.CopyFrom),
        uses.Count(u => u.Kind is PointerUseKind.CopyTo or PointerUseKind.Fill),
        uses.Count(u => u.Kind == PointerUseKind.Compare),
        uses.Count(u => u.Kind == PointerUseKind.HelperArgument),
        uses.Count(u => u.IsEscape));

    private static List<AccessEvidence> Deduplicate(List<AccessEvidence> list) => list.Distinct().ToList();

    /// <summary>Every helper call of the module, numbered; and the calls that are not helpers and not understood.</summary>
    private static List<HelperCallSite> FindSites(LlvmModule module, Func<LlvmFunction, ControlFlowGraph> cfgOf, List<AnalysisFinding> findings)
    {
        var sites = new List<HelperCallSite>();
        var unmodelled = new HashSet<string>();
        foreach (var function in module.Functions.Where(f => !f.IsDeclaration))
            foreach (var block in cfgOf(function).Blocks)
                foreach (var instruction in block.Instructions)
                {
                    if (instruction.Opcode != LlvmOpcode.Call)
                        continue;
                    if (HelperCalls.TryGetHelper(instruction, out var helper))
                    {
                        var where = Where(instruction.Value);
                        sites.Add(new HelperCallSite(sites.Count, instruction, helper, Location(instruction)));
                        if (!BpfHelpers.IsKnownId(helper.Id))
                            findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, where, $"call to unknown helper id {helper.Id}"));
                        else if (!helper.IsModelled && unmodelled.Add(helper.Name))
                            findings.Add(new AnalysisFinding(FindingKind.Note, where,
                                $"{helper.Name} is not modelled: maps and pointers given to it are may-write"));
                        continue;
                    }
                    var callee = CallGraph.StripCasts(instruction.CalledValue);
                    if (callee.IsInlineAsm)
                        findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, Where(instruction.Value), "inline assembly"));
                    else if (!callee.IsFunction)
                        findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, Where(instruction.Value), "indirect call"));
                    else if (callee.AsFunction() is { IsDeclaration: true, Section: ".ksyms" } && unmodelled.Add(callee.Name))
                        // An extern __ksym function: libbpf resolves it against the kernel's BTF when the object loads.
                        findings.Add(new AnalysisFinding(FindingKind.Note, Where(instruction.Value),
                            $"kfunc {callee.Name} is not modelled: maps and pointers given to it are may-write"));
                    else if (callee.AsFunction() is { IsDeclaration: true, Section: not ".ksyms" } && !callee.Name.StartsWith("llvm.", StringComparison.Ordinal))
                        findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, Where(instruction.Value),
                            $"call to external function {callee.Name} (a kfunc?): its effects are unknown"));
                }
        return sites;
    }

    /// <summary><c>function (file.c:42)</c>.</summary>
    internal static string Where(LlvmValue user)
    {
        if (!user.IsInstruction)
            return "";
        var instruction = user.AsInstruction();
        var location = Location(instruction);
        var function = instruction.Block.Parent.Name;
        return location.Length > 0 ? $"{function} ({location})" : function;
    }

    internal static string Location(LlvmInstruction instruction) =>
        instruction.DebugLocation is { Line: > 0 } location ? $"{Path.GetFileName(location.File)}:{location.Line}" : "";
}
