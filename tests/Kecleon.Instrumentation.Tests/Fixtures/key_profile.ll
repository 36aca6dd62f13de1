; ModuleID = 'key_profile.c'
source_filename = "key_profile.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [2 x i32]*, [4 x i32]*, i32*, i64* }
%struct.anon.2 = type { [1 x i32]*, [65536 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@stats = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !40
@hosts = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !21
@llvm.compiler.used = appending global [4 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.2* @hosts to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @key_profile to i8*), i8* bitcast (%struct.anon.1* @stats to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @key_profile(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !74 {
  %2 = alloca i32, align 4
  %3 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !87, metadata !DIExpression()), !dbg !138
  %4 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !139
  %5 = load i32, i32* %4, align 4, !dbg !139, !tbaa !140
  %6 = zext i32 %5 to i64, !dbg !145
  call void @llvm.dbg.value(metadata i64 %6, metadata !88, metadata !DIExpression()), !dbg !138
  %7 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !146
  %8 = load i32, i32* %7, align 4, !dbg !146, !tbaa !147
  %9 = zext i32 %8 to i64, !dbg !148
  %10 = inttoptr i64 %9 to i8*, !dbg !149
  call void @llvm.dbg.value(metadata i8* %10, metadata !89, metadata !DIExpression()), !dbg !138
  %11 = inttoptr i64 %6 to %struct.ethhdr*, !dbg !150
  call void @llvm.dbg.value(metadata %struct.ethhdr* %11, metadata !90, metadata !DIExpression()), !dbg !138
  call void @llvm.dbg.value(metadata %struct.ethhdr* %11, metadata !104, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !138
  %12 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 1, i32 0, i64 20, !dbg !151
  %13 = icmp ugt i8* %12, %10, !dbg !153
  br i1 %13, label %37, label %14, !dbg !154

14:                                               ; preds = %1
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 0, i32 2, !dbg !155
  %16 = load i16, i16* %15, align 1, !dbg !155, !tbaa !156
  %17 = icmp eq i16 %16, 8, !dbg !159
  br i1 %17, label %18, label %37, !dbg !160

18:                                               ; preds = %14
  %19 = bitcast i32* %2 to i8*, !dbg !161
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %19) #3, !dbg !161
  call void @llvm.dbg.value(metadata i32 0, metadata !134, metadata !DIExpression()), !dbg !138
  store i32 0, i32* %2, align 4, !dbg !162, !tbaa !163
  call void @llvm.dbg.value(metadata i32* %2, metadata !134, metadata !DIExpression(DW_OP_deref)), !dbg !138
  %20 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @stats to i8*), i8* noundef nonnull %19) #3, !dbg !164
  call void @llvm.dbg.value(metadata i8* %20, metadata !135, metadata !DIExpression()), !dbg !138
  %21 = icmp eq i8* %20, null, !dbg !165
  br i1 %21, label %25, label %22, !dbg !167

22:                                               ; preds = %18
  %23 = bitcast i8* %20 to i64*, !dbg !164
  call void @llvm.dbg.value(metadata i64* %23, metadata !135, metadata !DIExpression()), !dbg !138
  %24 = atomicrmw add i64* %23, i64 1 seq_cst, align 8, !dbg !168
  br label %25, !dbg !168

25:                                               ; preds = %22, %18
  %26 = bitcast i32* %3 to i8*, !dbg !169
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %26) #3, !dbg !169
  %27 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 1, i32 0, i64 12, !dbg !170
  %28 = bitcast i8* %27 to i32*, !dbg !170
  %29 = load i32, i32* %28, align 4, !dbg !170, !tbaa !171
  call void @llvm.dbg.value(metadata i32 %29, metadata !136, metadata !DIExpression()), !dbg !138
  store i32 %29, i32* %3, align 4, !dbg !172, !tbaa !163
  call void @llvm.dbg.value(metadata i32* %3, metadata !136, metadata !DIExpression(DW_OP_deref)), !dbg !138
  %30 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @hosts to i8*), i8* noundef nonnull %26) #3, !dbg !173
  call void @llvm.dbg.value(metadata i8* %30, metadata !137, metadata !DIExpression()), !dbg !138
  %31 = icmp eq i8* %30, null, !dbg !174
  br i1 %31, label %35, label %32, !dbg !174

32:                                               ; preds = %25
  %33 = bitcast i8* %30 to i32*, !dbg !173
  call void @llvm.dbg.value(metadata i32* %33, metadata !137, metadata !DIExpression()), !dbg !138
  %34 = load i32, i32* %33, align 4, !dbg !175, !tbaa !163
  br label %35, !dbg !174

35:                                               ; preds = %25, %32
  %36 = phi i32 [ %34, %32 ], [ 2, %25 ], !dbg !174
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %26) #3, !dbg !176
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %19) #3, !dbg !176
  br label %37

37:                                               ; preds = %1, %14, %35
  %38 = phi i32 [ %36, %35 ], [ 2, %14 ], [ 2, %1 ], !dbg !138
  ret i32 %38, !dbg !176
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
!llvm.module.flags = !{!69, !70, !71, !72}
!llvm.ident = !{!73}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !67, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "key_profile.c", directory: ".", checksumkind: CSK_MD5, checksum: "05c70cdf9a37e7a89b63d28bb2b330f2")
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
!20 = !{!0, !21, !40, !59}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "hosts", scope: !2, file: !3, line: 10, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 10, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 10, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 10, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 2097152, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 65536)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 192)
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "stats", scope: !2, file: !3, line: 11, type: !42, isLocal: false, isDefinition: true)
!42 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 11, size: 256, elements: !43)
!43 = !{!44, !49, !54, !55}
!44 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !42, file: !3, line: 11, baseType: !45, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !46, size: 64)
!46 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 64, elements: !47)
!47 = !{!48}
!48 = !DISubrange(count: 2)
!49 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !42, file: !3, line: 11, baseType: !50, size: 64, offset: 64)
!50 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !51, size: 64)
!51 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 128, elements: !52)
!52 = !{!53}
!53 = !DISubrange(count: 4)
!54 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !42, file: !3, line: 11, baseType: !37, size: 64, offset: 128)
!55 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !42, file: !3, line: 11, baseType: !56, size: 64, offset: 192)
!56 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !57, size: 64)
!57 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !58)
!58 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!59 = !DIGlobalVariableExpression(var: !60, expr: !DIExpression())
!60 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !61, line: 56, type: !62, isLocal: true, isDefinition: true)
!61 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!62 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !63, size: 64)
!63 = !DISubroutineType(types: !64)
!64 = !{!15, !15, !65}
!65 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !66, size: 64)
!66 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!67 = !DICompositeType(tag: DW_TAG_array_type, baseType: !68, size: 32, elements: !52)
!68 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!69 = !{i32 7, !"Dwarf Version", i32 5}
!70 = !{i32 2, !"Debug Info Version", i32 3}
!71 = !{i32 1, !"wchar_size", i32 4}
!72 = !{i32 7, !"frame-pointer", i32 2}
!73 = !{!"Debian clang version 14.0.6"}
!74 = distinct !DISubprogram(name: "key_profile", scope: !3, file: !3, line: 14, type: !75, scopeLine: 15, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !86)
!75 = !DISubroutineType(types: !76)
!76 = !{!28, !77}
!77 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !78, size: 64)
!78 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !79)
!79 = !{!80, !81, !82, !83, !84, !85}
!80 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !78, file: !6, line: 6101, baseType: !38, size: 32)
!81 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !78, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!82 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !78, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!83 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !78, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!84 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !78, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!85 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !78, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!86 = !{!87, !88, !89, !90, !104, !134, !135, !136, !137}
!87 = !DILocalVariable(name: "ctx", arg: 1, scope: !74, file: !3, line: 14, type: !77)
!88 = !DILocalVariable(name: "data", scope: !74, file: !3, line: 16, type: !15)
!89 = !DILocalVariable(name: "end", scope: !74, file: !3, line: 16, type: !15)
!90 = !DILocalVariable(name: "eth", scope: !74, file: !3, line: 17, type: !91)
!91 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !92, size: 64)
!92 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !93, line: 173, size: 112, elements: !94)
!93 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!94 = !{!95, !100, !101}
!95 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !92, file: !93, line: 174, baseType: !96, size: 48)
!96 = !DICompositeType(tag: DW_TAG_array_type, baseType: !97, size: 48, elements: !98)
!97 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!98 = !{!99}
!99 = !DISubrange(count: 6)
!100 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !92, file: !93, line: 175, baseType: !96, size: 48, offset: 48)
!101 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !92, file: !93, line: 176, baseType: !102, size: 16, offset: 96)
!102 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !103, line: 28, baseType: !17)
!103 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!104 = !DILocalVariable(name: "ip", scope: !74, file: !3, line: 18, type: !105)
!105 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !106, size: 64)
!106 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !107, line: 87, size: 160, elements: !108)
!107 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!108 = !{!109, !111, !112, !113, !114, !115, !116, !117, !118, !120}
!109 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !106, file: !107, line: 89, baseType: !110, size: 4, flags: DIFlagBitField, extraData: i64 0)
!110 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !97)
!111 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !106, file: !107, line: 90, baseType: !110, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!112 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !106, file: !107, line: 97, baseType: !110, size: 8, offset: 8)
!113 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !106, file: !107, line: 98, baseType: !102, size: 16, offset: 16)
!114 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !106, file: !107, line: 99, baseType: !102, size: 16, offset: 32)
!115 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !106, file: !107, line: 100, baseType: !102, size: 16, offset: 48)
!116 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !106, file: !107, line: 101, baseType: !110, size: 8, offset: 64)
!117 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !106, file: !107, line: 102, baseType: !110, size: 8, offset: 72)
!118 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !106, file: !107, line: 103, baseType: !119, size: 16, offset: 80)
!119 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !103, line: 34, baseType: !17)
!120 = !DIDerivedType(tag: DW_TAG_member, scope: !106, file: !107, line: 104, baseType: !121, size: 64, offset: 96)
!121 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !106, file: !107, line: 104, size: 64, elements: !122)
!122 = !{!123, !129}
!123 = !DIDerivedType(tag: DW_TAG_member, scope: !121, file: !107, line: 104, baseType: !124, size: 64)
!124 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !121, file: !107, line: 104, size: 64, elements: !125)
!125 = !{!126, !128}
!126 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !124, file: !107, line: 104, baseType: !127, size: 32)
!127 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !103, line: 30, baseType: !38)
!128 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !124, file: !107, line: 104, baseType: !127, size: 32, offset: 32)
!129 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !121, file: !107, line: 104, baseType: !130, size: 64)
!130 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !121, file: !107, line: 104, size: 64, elements: !131)
!131 = !{!132, !133}
!132 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !130, file: !107, line: 104, baseType: !127, size: 32)
!133 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !130, file: !107, line: 104, baseType: !127, size: 32, offset: 32)
!134 = !DILocalVariable(name: "zero", scope: !74, file: !3, line: 21, type: !38)
!135 = !DILocalVariable(name: "packets", scope: !74, file: !3, line: 22, type: !56)
!136 = !DILocalVariable(name: "key", scope: !74, file: !3, line: 25, type: !38)
!137 = !DILocalVariable(name: "verdict", scope: !74, file: !3, line: 26, type: !37)
!138 = !DILocation(line: 0, scope: !74)
!139 = !DILocation(line: 16, column: 34, scope: !74)
!140 = !{!141, !142, i64 0}
!141 = !{!"xdp_md", !142, i64 0, !142, i64 4, !142, i64 8, !142, i64 12, !142, i64 16, !142, i64 20}
!142 = !{!"int", !143, i64 0}
!143 = !{!"omnipotent char", !144, i64 0}
!144 = !{!"Simple C/C++ TBAA"}
!145 = !DILocation(line: 16, column: 23, scope: !74)
!146 = !DILocation(line: 16, column: 66, scope: !74)
!147 = !{!141, !142, i64 4}
!148 = !DILocation(line: 16, column: 55, scope: !74)
!149 = !DILocation(line: 16, column: 47, scope: !74)
!150 = !DILocation(line: 17, column: 23, scope: !74)
!151 = !DILocation(line: 19, column: 18, scope: !152)
!152 = distinct !DILexicalBlock(scope: !74, file: !3, line: 19, column: 6)
!153 = !DILocation(line: 19, column: 23, scope: !152)
!154 = !DILocation(line: 19, column: 29, scope: !152)
!155 = !DILocation(line: 19, column: 37, scope: !152)
!156 = !{!157, !158, i64 12}
!157 = !{!"ethhdr", !143, i64 0, !143, i64 6, !158, i64 12}
!158 = !{!"short", !143, i64 0}
!159 = !DILocation(line: 19, column: 45, scope: !152)
!160 = !DILocation(line: 19, column: 6, scope: !74)
!161 = !DILocation(line: 21, column: 2, scope: !74)
!162 = !DILocation(line: 21, column: 8, scope: !74)
!163 = !{!142, !142, i64 0}
!164 = !DILocation(line: 22, column: 19, scope: !74)
!165 = !DILocation(line: 23, column: 6, scope: !166)
!166 = distinct !DILexicalBlock(scope: !74, file: !3, line: 23, column: 6)
!167 = !DILocation(line: 23, column: 6, scope: !74)
!168 = !DILocation(line: 24, column: 3, scope: !166)
!169 = !DILocation(line: 25, column: 2, scope: !74)
!170 = !DILocation(line: 25, column: 18, scope: !74)
!171 = !{!143, !143, i64 0}
!172 = !DILocation(line: 25, column: 8, scope: !74)
!173 = !DILocation(line: 26, column: 19, scope: !74)
!174 = !DILocation(line: 27, column: 9, scope: !74)
!175 = !DILocation(line: 27, column: 19, scope: !74)
!176 = !DILocation(line: 28, column: 1, scope: !74)
