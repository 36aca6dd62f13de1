; ModuleID = 'sampling_gate.c'
source_filename = "sampling_gate.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [11 x i32]*, [1024 x i32]*, [1 x i32]*, i64*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@routes = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !23
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @routes to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @sampling_gate to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @sampling_gate(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !65 {
  %2 = alloca i64, align 8
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !78, metadata !DIExpression()), !dbg !127
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !128
  %4 = load i32, i32* %3, align 4, !dbg !128, !tbaa !129
  %5 = zext i32 %4 to i64, !dbg !134
  call void @llvm.dbg.value(metadata i64 %5, metadata !79, metadata !DIExpression()), !dbg !127
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !135
  %7 = load i32, i32* %6, align 4, !dbg !135, !tbaa !136
  %8 = zext i32 %7 to i64, !dbg !137
  %9 = inttoptr i64 %8 to i8*, !dbg !138
  call void @llvm.dbg.value(metadata i8* %9, metadata !80, metadata !DIExpression()), !dbg !127
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !139
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !81, metadata !DIExpression()), !dbg !127
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !95, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !127
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 20, !dbg !140
  %12 = icmp ugt i8* %11, %9, !dbg !142
  br i1 %12, label %28, label %13, !dbg !143

13:                                               ; preds = %1
  %14 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !144
  %15 = load i16, i16* %14, align 1, !dbg !144, !tbaa !145
  %16 = icmp eq i16 %15, 8, !dbg !148
  br i1 %16, label %17, label %28, !dbg !149

17:                                               ; preds = %13
  %18 = bitcast i64* %2 to i8*, !dbg !150
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %18) #3, !dbg !150
  %19 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 16, !dbg !151
  %20 = bitcast i8* %19 to i32*, !dbg !151
  %21 = load i32, i32* %20, align 4, !dbg !151, !tbaa !152
  %22 = zext i32 %21 to i64, !dbg !153
  %23 = shl nuw i64 %22, 32, !dbg !154
  %24 = or i64 %23, 32, !dbg !155
  call void @llvm.dbg.value(metadata i64 %24, metadata !125, metadata !DIExpression()), !dbg !127
  store i64 %24, i64* %2, align 8, !dbg !156, !tbaa !157
  call void @llvm.dbg.value(metadata i64* %2, metadata !125, metadata !DIExpression(DW_OP_deref)), !dbg !127
  %25 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @routes to i8*), i8* noundef nonnull %18) #3, !dbg !159
  call void @llvm.dbg.value(metadata i8* %25, metadata !126, metadata !DIExpression()), !dbg !127
  %26 = icmp eq i8* %25, null, !dbg !160
  %27 = select i1 %26, i32 1, i32 3, !dbg !160
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %18) #3, !dbg !161
  br label %28

28:                                               ; preds = %1, %13, %17
  %29 = phi i32 [ %27, %17 ], [ 2, %13 ], [ 2, %1 ], !dbg !127
  ret i32 %29, !dbg !161
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #2

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!60, !61, !62, !63}
!llvm.ident = !{!64}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !56, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !22, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "sampling_gate.c", directory: ".", checksumkind: CSK_MD5, checksum: "c507557aa13e9494335eedd7b7e63e8a")
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
!14 = !{!15, !16, !17, !20}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !21)
!21 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!22 = !{!0, !23, !48}
!23 = !DIGlobalVariableExpression(var: !24, expr: !DIExpression())
!24 = distinct !DIGlobalVariable(name: "routes", scope: !2, file: !3, line: 11, type: !25, isLocal: false, isDefinition: true)
!25 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 10, size: 320, elements: !26)
!26 = !{!27, !33, !38, !43, !45}
!27 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !25, file: !3, line: 10, baseType: !28, size: 64)
!28 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !29, size: 64)
!29 = !DICompositeType(tag: DW_TAG_array_type, baseType: !30, size: 352, elements: !31)
!30 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!31 = !{!32}
!32 = !DISubrange(count: 11)
!33 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !25, file: !3, line: 10, baseType: !34, size: 64, offset: 64)
!34 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !35, size: 64)
!35 = !DICompositeType(tag: DW_TAG_array_type, baseType: !30, size: 32768, elements: !36)
!36 = !{!37}
!37 = !DISubrange(count: 1024)
!38 = !DIDerivedType(tag: DW_TAG_member, name: "map_flags", scope: !25, file: !3, line: 10, baseType: !39, size: 64, offset: 128)
!39 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !40, size: 64)
!40 = !DICompositeType(tag: DW_TAG_array_type, baseType: !30, size: 32, elements: !41)
!41 = !{!42}
!42 = !DISubrange(count: 1)
!43 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !25, file: !3, line: 11, baseType: !44, size: 64, offset: 192)
!44 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !20, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !25, file: !3, line: 11, baseType: !46, size: 64, offset: 256)
!46 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !47, size: 64)
!47 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
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
!65 = distinct !DISubprogram(name: "sampling_gate", scope: !3, file: !3, line: 14, type: !66, scopeLine: 15, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !77)
!66 = !DISubroutineType(types: !67)
!67 = !{!30, !68}
!68 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !69, size: 64)
!69 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !70)
!70 = !{!71, !72, !73, !74, !75, !76}
!71 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !69, file: !6, line: 6101, baseType: !47, size: 32)
!72 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !69, file: !6, line: 6102, baseType: !47, size: 32, offset: 32)
!73 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !69, file: !6, line: 6103, baseType: !47, size: 32, offset: 64)
!74 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !69, file: !6, line: 6105, baseType: !47, size: 32, offset: 96)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !69, file: !6, line: 6106, baseType: !47, size: 32, offset: 128)
!76 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !69, file: !6, line: 6108, baseType: !47, size: 32, offset: 160)
!77 = !{!78, !79, !80, !81, !95, !125, !126}
!78 = !DILocalVariable(name: "ctx", arg: 1, scope: !65, file: !3, line: 14, type: !68)
!79 = !DILocalVariable(name: "data", scope: !65, file: !3, line: 16, type: !15)
!80 = !DILocalVariable(name: "end", scope: !65, file: !3, line: 16, type: !15)
!81 = !DILocalVariable(name: "eth", scope: !65, file: !3, line: 17, type: !82)
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
!95 = !DILocalVariable(name: "ip", scope: !65, file: !3, line: 18, type: !96)
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
!118 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !94, line: 30, baseType: !47)
!119 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !115, file: !98, line: 104, baseType: !118, size: 32, offset: 32)
!120 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !112, file: !98, line: 104, baseType: !121, size: 64)
!121 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !112, file: !98, line: 104, size: 64, elements: !122)
!122 = !{!123, !124}
!123 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !121, file: !98, line: 104, baseType: !118, size: 32)
!124 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !121, file: !98, line: 104, baseType: !118, size: 32, offset: 32)
!125 = !DILocalVariable(name: "key", scope: !65, file: !3, line: 21, type: !20)
!126 = !DILocalVariable(name: "hop", scope: !65, file: !3, line: 22, type: !46)
!127 = !DILocation(line: 0, scope: !65)
!128 = !DILocation(line: 16, column: 34, scope: !65)
!129 = !{!130, !131, i64 0}
!130 = !{!"xdp_md", !131, i64 0, !131, i64 4, !131, i64 8, !131, i64 12, !131, i64 16, !131, i64 20}
!131 = !{!"int", !132, i64 0}
!132 = !{!"omnipotent char", !133, i64 0}
!133 = !{!"Simple C/C++ TBAA"}
!134 = !DILocation(line: 16, column: 23, scope: !65)
!135 = !DILocation(line: 16, column: 66, scope: !65)
!136 = !{!130, !131, i64 4}
!137 = !DILocation(line: 16, column: 55, scope: !65)
!138 = !DILocation(line: 16, column: 47, scope: !65)
!139 = !DILocation(line: 17, column: 23, scope: !65)
!140 = !DILocation(line: 19, column: 18, scope: !141)
!141 = distinct !DILexicalBlock(scope: !65, file: !3, line: 19, column: 6)
!142 = !DILocation(line: 19, column: 23, scope: !141)
!143 = !DILocation(line: 19, column: 29, scope: !141)
!144 = !DILocation(line: 19, column: 37, scope: !141)
!145 = !{!146, !147, i64 12}
!146 = !{!"ethhdr", !132, i64 0, !132, i64 6, !147, i64 12}
!147 = !{!"short", !132, i64 0}
!148 = !DILocation(line: 19, column: 45, scope: !141)
!149 = !DILocation(line: 19, column: 6, scope: !65)
!150 = !DILocation(line: 21, column: 2, scope: !65)
!151 = !DILocation(line: 21, column: 30, scope: !65)
!152 = !{!132, !132, i64 0}
!153 = !DILocation(line: 21, column: 19, scope: !65)
!154 = !DILocation(line: 21, column: 36, scope: !65)
!155 = !DILocation(line: 21, column: 17, scope: !65)
!156 = !DILocation(line: 21, column: 8, scope: !65)
!157 = !{!158, !158, i64 0}
!158 = !{!"long long", !132, i64 0}
!159 = !DILocation(line: 22, column: 15, scope: !65)
!160 = !DILocation(line: 23, column: 9, scope: !65)
!161 = !DILocation(line: 24, column: 1, scope: !65)
