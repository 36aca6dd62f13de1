; ModuleID = 'compare_tree.c'
source_filename = "compare_tree.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [1 x i32]*, [64 x i32]*, %struct.flow*, i32* }
%struct.flow = type { i32, i32, i16, i16, i32 }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@flows = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @compare_tree to i8*), i8* bitcast (%struct.anon.1* @flows to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @compare_tree(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !65 {
  %2 = alloca %struct.flow, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !78, metadata !DIExpression()), !dbg !129
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !130
  %4 = load i32, i32* %3, align 4, !dbg !130, !tbaa !131
  %5 = zext i32 %4 to i64, !dbg !136
  call void @llvm.dbg.value(metadata i64 %5, metadata !79, metadata !DIExpression()), !dbg !129
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !137
  %7 = load i32, i32* %6, align 4, !dbg !137, !tbaa !138
  %8 = zext i32 %7 to i64, !dbg !139
  %9 = inttoptr i64 %8 to i8*, !dbg !140
  call void @llvm.dbg.value(metadata i8* %9, metadata !80, metadata !DIExpression()), !dbg !129
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !141
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !81, metadata !DIExpression()), !dbg !129
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !95, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !129
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 20, !dbg !142
  %12 = getelementptr %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 24, !dbg !144
  %13 = icmp ugt i8* %12, %9, !dbg !145
  br i1 %13, label %43, label %14, !dbg !146

14:                                               ; preds = %1
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !147
  %16 = load i16, i16* %15, align 1, !dbg !147, !tbaa !148
  %17 = icmp eq i16 %16, 8, !dbg !151
  br i1 %17, label %18, label %43, !dbg !152

18:                                               ; preds = %14
  %19 = bitcast i8* %11 to i16*, !dbg !153
  call void @llvm.dbg.value(metadata i16* %19, metadata !125, metadata !DIExpression()), !dbg !129
  %20 = bitcast %struct.flow* %2 to i8*, !dbg !154
  call void @llvm.lifetime.start.p0i8(i64 16, i8* nonnull %20) #4, !dbg !154
  call void @llvm.dbg.declare(metadata %struct.flow* %2, metadata !127, metadata !DIExpression()), !dbg !155
  %21 = getelementptr inbounds %struct.flow, %struct.flow* %2, i64 0, i32 0, !dbg !156
  %22 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 12, !dbg !157
  %23 = bitcast i8* %22 to i32*, !dbg !157
  %24 = load i32, i32* %23, align 4, !dbg !157, !tbaa !158
  store i32 %24, i32* %21, align 4, !dbg !156, !tbaa !159
  %25 = getelementptr inbounds %struct.flow, %struct.flow* %2, i64 0, i32 1, !dbg !156
  %26 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 16, !dbg !161
  %27 = bitcast i8* %26 to i32*, !dbg !161
  %28 = load i32, i32* %27, align 4, !dbg !161, !tbaa !158
  store i32 %28, i32* %25, align 4, !dbg !156, !tbaa !162
  %29 = getelementptr inbounds %struct.flow, %struct.flow* %2, i64 0, i32 2, !dbg !156
  %30 = load i16, i16* %19, align 2, !dbg !163, !tbaa !164
  store i16 %30, i16* %29, align 4, !dbg !156, !tbaa !165
  %31 = getelementptr inbounds %struct.flow, %struct.flow* %2, i64 0, i32 3, !dbg !156
  %32 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 22, !dbg !166
  %33 = bitcast i8* %32 to i16*, !dbg !166
  %34 = load i16, i16* %33, align 2, !dbg !166, !tbaa !164
  store i16 %34, i16* %31, align 2, !dbg !156, !tbaa !167
  %35 = getelementptr inbounds %struct.flow, %struct.flow* %2, i64 0, i32 4, !dbg !156
  store i32 0, i32* %35, align 4, !dbg !156, !tbaa !168
  %36 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @flows to i8*), i8* noundef nonnull %20) #4, !dbg !169
  call void @llvm.dbg.value(metadata i8* %36, metadata !128, metadata !DIExpression()), !dbg !129
  %37 = icmp eq i8* %36, null, !dbg !170
  br i1 %37, label %41, label %38, !dbg !170

38:                                               ; preds = %18
  %39 = bitcast i8* %36 to i32*, !dbg !169
  call void @llvm.dbg.value(metadata i32* %39, metadata !128, metadata !DIExpression()), !dbg !129
  %40 = load i32, i32* %39, align 4, !dbg !171, !tbaa !172
  br label %41, !dbg !170

41:                                               ; preds = %18, %38
  %42 = phi i32 [ %40, %38 ], [ 2, %18 ], !dbg !170
  call void @llvm.lifetime.end.p0i8(i64 16, i8* nonnull %20) #4, !dbg !173
  br label %43

43:                                               ; preds = %1, %14, %41
  %44 = phi i32 [ %42, %41 ], [ 2, %14 ], [ 2, %1 ], !dbg !129
  ret i32 %44, !dbg !173
}

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.declare(metadata, metadata, metadata) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #3

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #3 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #4 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!60, !61, !62, !63}
!llvm.ident = !{!64}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 7, type: !56, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "compare_tree.c", directory: ".", checksumkind: CSK_MD5, checksum: "548624c992393a3332aef8dcad842582")
!4 = !{!5}
!5 = !DICompositeType(tag: DW_TAG_enumeration_type, name: "xdp_action", file: !6, line: 6089, baseType: !7, size: 32, elements: !8)
!6 = !DIFile(filename: "/usr/include/linux/bpf.h", directory: "", checksumkind: CSK_MD5, checksum: "8ab7bf195d20e2851bf1a9e5b71245ca")
!7 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!8 = !{!9, !10, !11, !12, !13}
!9 = !DIEnumerator(name: "XDP_ABORTED", value: 0)
!10 = !DIEnumerator(name: "XDP_DROP", value: 1)
!11 = !DIEnumerator(name: "XDP_PASS", value: 2)
!12 = !DIEnumerator(name: "XDP_TX", value: 3)
!13 = !DIEnumerator(name: "XDP_REDIRECT", value: 4)
!14 = !{!15, !16, !17}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !{!0, !21, !48}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "flows", scope: !2, file: !3, line: 17, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 17, size: 256, elements: !24)
!24 = !{!25, !31, !36, !46}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 17, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 17, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 2048, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 64)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 17, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "flow", file: !3, line: 9, size: 128, elements: !39)
!39 = !{!40, !42, !43, !44, !45}
!40 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !38, file: !3, line: 10, baseType: !41, size: 32)
!41 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!42 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !38, file: !3, line: 11, baseType: !41, size: 32, offset: 32)
!43 = !DIDerivedType(tag: DW_TAG_member, name: "sport", scope: !38, file: !3, line: 12, baseType: !17, size: 16, offset: 64)
!44 = !DIDerivedType(tag: DW_TAG_member, name: "dport", scope: !38, file: !3, line: 13, baseType: !17, size: 16, offset: 80)
!45 = !DIDerivedType(tag: DW_TAG_member, name: "pad", scope: !38, file: !3, line: 14, baseType: !41, size: 32, offset: 96)
!46 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 17, baseType: !47, size: 64, offset: 192)
!47 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !41, size: 64)
!48 = !DIGlobalVariableExpression(var: !49, expr: !DIExpression())
!49 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !50, line: 56, type: !51, isLocal: true, isDefinition: true)
!50 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!51 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !52, size: 64)
!52 = !DISubroutineType(types: !53)
!53 = !{!15, !15, !54}
!54 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !55, size: 64)
!55 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!56 = !DICompositeType(tag: DW_TAG_array_type, baseType: !57, size: 32, elements: !58)
!57 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!58 = !{!59}
!59 = !DISubrange(count: 4)
!60 = !{i32 7, !"Dwarf Version", i32 5}
!61 = !{i32 2, !"Debug Info Version", i32 3}
!62 = !{i32 1, !"wchar_size", i32 4}
!63 = !{i32 7, !"frame-pointer", i32 2}
!64 = !{!"Debian clang version 14.0.6"}
!65 = distinct !DISubprogram(name: "compare_tree", scope: !3, file: !3, line: 20, type: !66, scopeLine: 21, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !77)
!66 = !DISubroutineType(types: !67)
!67 = !{!28, !68}
!68 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !69, size: 64)
!69 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !70)
!70 = !{!71, !72, !73, !74, !75, !76}
!71 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !69, file: !6, line: 6101, baseType: !41, size: 32)
!72 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !69, file: !6, line: 6102, baseType: !41, size: 32, offset: 32)
!73 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !69, file: !6, line: 6103, baseType: !41, size: 32, offset: 64)
!74 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !69, file: !6, line: 6105, baseType: !41, size: 32, offset: 96)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !69, file: !6, line: 6106, baseType: !41, size: 32, offset: 128)
!76 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !69, file: !6, line: 6108, baseType: !41, size: 32, offset: 160)
!77 = !{!78, !79, !80, !81, !95, !125, !127, !128}
!78 = !DILocalVariable(name: "ctx", arg: 1, scope: !65, file: !3, line: 20, type: !68)
!79 = !DILocalVariable(name: "data", scope: !65, file: !3, line: 22, type: !15)
!80 = !DILocalVariable(name: "end", scope: !65, file: !3, line: 22, type: !15)
!81 = !DILocalVariable(name: "eth", scope: !65, file: !3, line: 23, type: !82)
!82 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !83, size: 64)
!83 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !84, line: 173, size: 112, elements: !85)
!84 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!85 = !{!86, !91, !92}
!86 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !83, file: !84, line: 174, baseType: !87, size: 48)
!87 = !DICompositeType(tag: DW_TAG_array_type, baseType: !88, size: 48, elements: !89)
!88 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!89 = !{!90}
!90 = !DISubrange(count: 6)
!91 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !83, file: !84, line: 175, baseType: !87, size: 48, offset: 48)
!92 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !83, file: !84, line: 176, baseType: !93, size: 16, offset: 96)
!93 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !94, line: 28, baseType: !17)
!94 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!95 = !DILocalVariable(name: "ip", scope: !65, file: !3, line: 24, type: !96)
!96 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !97, size: 64)
!97 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !98, line: 87, size: 160, elements: !99)
!98 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!99 = !{!100, !102, !103, !104, !105, !106, !107, !108, !109, !111}
!100 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !97, file: !98, line: 89, baseType: !101, size: 4, flags: DIFlagBitField, extraData: i64 0)
!101 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !88)
!102 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !97, file: !98, line: 90, baseType: !101, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!103 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !97, file: !98, line: 97, baseType: !101, size: 8, offset: 8)
!104 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !97, file: !98, line: 98, baseType: !93, size: 16, offset: 16)
!105 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !97, file: !98, line: 99, baseType: !93, size: 16, offset: 32)
!106 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !97, file: !98, line: 100, baseType: !93, size: 16, offset: 48)
!107 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !97, file: !98, line: 101, baseType: !101, size: 8, offset: 64)
!108 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !97, file: !98, line: 102, baseType: !101, size: 8, offset: 72)
!109 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !97, file: !98, line: 103, baseType: !110, size: 16, offset: 80)
!110 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !94, line: 34, baseType: !17)
!111 = !DIDerivedType(tag: DW_TAG_member, scope: !97, file: !98, line: 104, baseType: !112, size: 64, offset: 96)
!112 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !97, file: !98, line: 104, size: 64, elements: !113)
!113 = !{!114, !120}
!114 = !DIDerivedType(tag: DW_TAG_member, scope: !112, file: !98, line: 104, baseType: !115, size: 64)
!115 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !112, file: !98, line: 104, size: 64, elements: !116)
!116 = !{!117, !119}
!117 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !115, file: !98, line: 104, baseType: !118, size: 32)
!118 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !94, line: 30, baseType: !41)
!119 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !115, file: !98, line: 104, baseType: !118, size: 32, offset: 32)
!120 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !112, file: !98, line: 104, baseType: !121, size: 64)
!121 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !112, file: !98, line: 104, size: 64, elements: !122)
!122 = !{!123, !124}
!123 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !121, file: !98, line: 104, baseType: !118, size: 32)
!124 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !121, file: !98, line: 104, baseType: !118, size: 32, offset: 32)
!125 = !DILocalVariable(name: "ports", scope: !65, file: !3, line: 27, type: !126)
!126 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !17, size: 64)
!127 = !DILocalVariable(name: "key", scope: !65, file: !3, line: 28, type: !38)
!128 = !DILocalVariable(name: "action", scope: !65, file: !3, line: 29, type: !47)
!129 = !DILocation(line: 0, scope: !65)
!130 = !DILocation(line: 22, column: 34, scope: !65)
!131 = !{!132, !133, i64 0}
!132 = !{!"xdp_md", !133, i64 0, !133, i64 4, !133, i64 8, !133, i64 12, !133, i64 16, !133, i64 20}
!133 = !{!"int", !134, i64 0}
!134 = !{!"omnipotent char", !135, i64 0}
!135 = !{!"Simple C/C++ TBAA"}
!136 = !DILocation(line: 22, column: 23, scope: !65)
!137 = !DILocation(line: 22, column: 66, scope: !65)
!138 = !{!132, !133, i64 4}
!139 = !DILocation(line: 22, column: 55, scope: !65)
!140 = !DILocation(line: 22, column: 47, scope: !65)
!141 = !DILocation(line: 23, column: 23, scope: !65)
!142 = !DILocation(line: 25, column: 18, scope: !143)
!143 = distinct !DILexicalBlock(scope: !65, file: !3, line: 25, column: 6)
!144 = !DILocation(line: 25, column: 23, scope: !143)
!145 = !DILocation(line: 25, column: 27, scope: !143)
!146 = !DILocation(line: 25, column: 33, scope: !143)
!147 = !DILocation(line: 25, column: 41, scope: !143)
!148 = !{!149, !150, i64 12}
!149 = !{!"ethhdr", !134, i64 0, !134, i64 6, !150, i64 12}
!150 = !{!"short", !134, i64 0}
!151 = !DILocation(line: 25, column: 49, scope: !143)
!152 = !DILocation(line: 25, column: 6, scope: !65)
!153 = !DILocation(line: 27, column: 17, scope: !65)
!154 = !DILocation(line: 28, column: 2, scope: !65)
!155 = !DILocation(line: 28, column: 14, scope: !65)
!156 = !DILocation(line: 28, column: 20, scope: !65)
!157 = !DILocation(line: 28, column: 35, scope: !65)
!158 = !{!134, !134, i64 0}
!159 = !{!160, !133, i64 0}
!160 = !{!"flow", !133, i64 0, !133, i64 4, !150, i64 8, !150, i64 10, !133, i64 12}
!161 = !DILocation(line: 28, column: 55, scope: !65)
!162 = !{!160, !133, i64 4}
!163 = !DILocation(line: 28, column: 71, scope: !65)
!164 = !{!150, !150, i64 0}
!165 = !{!160, !150, i64 8}
!166 = !DILocation(line: 28, column: 90, scope: !65)
!167 = !{!160, !150, i64 10}
!168 = !{!160, !133, i64 12}
!169 = !DILocation(line: 29, column: 18, scope: !65)
!170 = !DILocation(line: 30, column: 9, scope: !65)
!171 = !DILocation(line: 30, column: 18, scope: !65)
!172 = !{!133, !133, i64 0}
!173 = !DILocation(line: 31, column: 1, scope: !65)
