; ModuleID = 'phi_member_refused.c'
source_filename = "phi_member_refused.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.hop* }
%struct.hop = type { i32, i32 }
%struct.anon.2 = type { [11 x i32]*, [16 x i32]*, [1 x i32]*, %struct.lpm_key*, %struct.hop* }
%struct.lpm_key = type { i32, i32 }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@counted_routes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !45
@llvm.compiler.used = appending global [4 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.2* @counted_routes to i8*), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_member_refused to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @phi_member_refused(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !87 {
  %2 = alloca i32, align 4
  %3 = alloca %struct.lpm_key, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !100, metadata !DIExpression()), !dbg !153
  %4 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !154
  %5 = load i32, i32* %4, align 4, !dbg !154, !tbaa !155
  %6 = zext i32 %5 to i64, !dbg !160
  call void @llvm.dbg.value(metadata i64 %6, metadata !101, metadata !DIExpression()), !dbg !153
  %7 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !161
  %8 = load i32, i32* %7, align 4, !dbg !161, !tbaa !162
  %9 = zext i32 %8 to i64, !dbg !163
  %10 = inttoptr i64 %9 to i8*, !dbg !164
  call void @llvm.dbg.value(metadata i8* %10, metadata !102, metadata !DIExpression()), !dbg !153
  %11 = inttoptr i64 %6 to %struct.ethhdr*, !dbg !165
  call void @llvm.dbg.value(metadata %struct.ethhdr* %11, metadata !103, metadata !DIExpression()), !dbg !153
  call void @llvm.dbg.value(metadata %struct.ethhdr* %11, metadata !117, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !153
  %12 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 1, i32 0, i64 20, !dbg !166
  %13 = icmp ugt i8* %12, %10, !dbg !168
  br i1 %13, label %45, label %14, !dbg !169

14:                                               ; preds = %1
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 0, i32 2, !dbg !170
  %16 = load i16, i16* %15, align 1, !dbg !170, !tbaa !171
  %17 = icmp eq i16 %16, 8, !dbg !174
  br i1 %17, label %18, label %45, !dbg !175

18:                                               ; preds = %14
  %19 = bitcast i32* %2 to i8*, !dbg !176
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %19) #4, !dbg !176
  %20 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 1, i32 0, i64 16, !dbg !177
  %21 = bitcast i8* %20 to i32*, !dbg !177
  %22 = load i32, i32* %21, align 4, !dbg !177, !tbaa !178
  call void @llvm.dbg.value(metadata i32 %22, metadata !147, metadata !DIExpression()), !dbg !153
  store i32 %22, i32* %2, align 4, !dbg !179, !tbaa !180
  call void @llvm.dbg.value(metadata i32* %2, metadata !147, metadata !DIExpression(DW_OP_deref)), !dbg !153
  %23 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @hosts to i8*), i8* noundef nonnull %19) #4, !dbg !181
  call void @llvm.dbg.value(metadata i8* %23, metadata !148, metadata !DIExpression()), !dbg !153
  %24 = icmp eq i8* %23, null, !dbg !182
  br i1 %24, label %25, label %37, !dbg !183

25:                                               ; preds = %18
  %26 = bitcast %struct.lpm_key* %3 to i8*, !dbg !184
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %26) #4, !dbg !184
  call void @llvm.dbg.declare(metadata %struct.lpm_key* %3, metadata !149, metadata !DIExpression()), !dbg !185
  %27 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 0, !dbg !186
  store i32 32, i32* %27, align 4, !dbg !186, !tbaa !187
  %28 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 1, !dbg !186
  %29 = load i32, i32* %2, align 4, !dbg !189, !tbaa !180
  call void @llvm.dbg.value(metadata i32 %29, metadata !147, metadata !DIExpression()), !dbg !153
  store i32 %29, i32* %28, align 4, !dbg !186, !tbaa !190
  %30 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @counted_routes to i8*), i8* noundef nonnull %26) #4, !dbg !191
  call void @llvm.dbg.value(metadata i8* %30, metadata !152, metadata !DIExpression()), !dbg !192
  %31 = icmp eq i8* %30, null, !dbg !193
  br i1 %31, label %32, label %33, !dbg !195

32:                                               ; preds = %25
  call void @llvm.dbg.value(metadata i8* %30, metadata !148, metadata !DIExpression()), !dbg !153
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %26) #4, !dbg !196
  br label %43

33:                                               ; preds = %25
  call void @llvm.dbg.value(metadata i8* %30, metadata !152, metadata !DIExpression()), !dbg !192
  %34 = getelementptr inbounds i8, i8* %30, i64 4, !dbg !197
  %35 = bitcast i8* %34 to i32*, !dbg !197
  %36 = atomicrmw add i32* %35, i32 1 seq_cst, align 4, !dbg !198
  call void @llvm.dbg.value(metadata i8* %30, metadata !148, metadata !DIExpression()), !dbg !153
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %26) #4, !dbg !196
  br label %37

37:                                               ; preds = %33, %18
  %38 = phi i8* [ %23, %18 ], [ %30, %33 ]
  call void @llvm.dbg.value(metadata i8* %38, metadata !148, metadata !DIExpression()), !dbg !153
  %39 = bitcast i8* %38 to i32*, !dbg !199
  %40 = load i32, i32* %39, align 4, !dbg !199, !tbaa !200
  %41 = call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %40, i64 noundef 0) #4, !dbg !202
  %42 = trunc i64 %41 to i32, !dbg !202
  br label %43, !dbg !203

43:                                               ; preds = %32, %37
  %44 = phi i32 [ %42, %37 ], [ 1, %32 ]
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %19) #4, !dbg !204
  br label %45

45:                                               ; preds = %1, %14, %43
  %46 = phi i32 [ %44, %43 ], [ 2, %14 ], [ 2, %1 ], !dbg !153
  ret i32 %46, !dbg !204
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
!llvm.module.flags = !{!82, !83, !84, !85}
!llvm.ident = !{!86}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !78, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "phi_member_refused.c", directory: ".", checksumkind: CSK_MD5, checksum: "583f480bda099f454d200ea267e6f3e5")
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
!20 = !{!0, !21, !45, !63, !71}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "hosts", scope: !2, file: !3, line: 20, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 20, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 20, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 20, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 512, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 16)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 20, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 20, baseType: !40, size: 64, offset: 192)
!40 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !41, size: 64)
!41 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "hop", file: !3, line: 15, size: 64, elements: !42)
!42 = !{!43, !44}
!43 = !DIDerivedType(tag: DW_TAG_member, name: "port", scope: !41, file: !3, line: 16, baseType: !38, size: 32)
!44 = !DIDerivedType(tag: DW_TAG_member, name: "hits", scope: !41, file: !3, line: 17, baseType: !38, size: 32, offset: 32)
!45 = !DIGlobalVariableExpression(var: !46, expr: !DIExpression())
!46 = distinct !DIGlobalVariable(name: "counted_routes", scope: !2, file: !3, line: 22, type: !47, isLocal: false, isDefinition: true)
!47 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 21, size: 320, elements: !48)
!48 = !{!49, !54, !55, !56, !62}
!49 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !47, file: !3, line: 21, baseType: !50, size: 64)
!50 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !51, size: 64)
!51 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 352, elements: !52)
!52 = !{!53}
!53 = !DISubrange(count: 11)
!54 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !47, file: !3, line: 21, baseType: !32, size: 64, offset: 64)
!55 = !DIDerivedType(tag: DW_TAG_member, name: "map_flags", scope: !47, file: !3, line: 21, baseType: !26, size: 64, offset: 128)
!56 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !47, file: !3, line: 22, baseType: !57, size: 64, offset: 192)
!57 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !58, size: 64)
!58 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "lpm_key", file: !3, line: 10, size: 64, elements: !59)
!59 = !{!60, !61}
!60 = !DIDerivedType(tag: DW_TAG_member, name: "prefixlen", scope: !58, file: !3, line: 11, baseType: !38, size: 32)
!61 = !DIDerivedType(tag: DW_TAG_member, name: "addr", scope: !58, file: !3, line: 12, baseType: !38, size: 32, offset: 32)
!62 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !47, file: !3, line: 22, baseType: !40, size: 64, offset: 256)
!63 = !DIGlobalVariableExpression(var: !64, expr: !DIExpression())
!64 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !65, line: 56, type: !66, isLocal: true, isDefinition: true)
!65 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!66 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !67, size: 64)
!67 = !DISubroutineType(types: !68)
!68 = !{!15, !15, !69}
!69 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !70, size: 64)
!70 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!71 = !DIGlobalVariableExpression(var: !72, expr: !DIExpression())
!72 = distinct !DIGlobalVariable(name: "bpf_redirect", scope: !2, file: !65, line: 619, type: !73, isLocal: true, isDefinition: true)
!73 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !74, size: 64)
!74 = !DISubroutineType(types: !75)
!75 = !{!16, !38, !76}
!76 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !77)
!77 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!78 = !DICompositeType(tag: DW_TAG_array_type, baseType: !79, size: 32, elements: !80)
!79 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!80 = !{!81}
!81 = !DISubrange(count: 4)
!82 = !{i32 7, !"Dwarf Version", i32 5}
!83 = !{i32 2, !"Debug Info Version", i32 3}
!84 = !{i32 1, !"wchar_size", i32 4}
!85 = !{i32 7, !"frame-pointer", i32 2}
!86 = !{!"Debian clang version 14.0.6"}
!87 = distinct !DISubprogram(name: "phi_member_refused", scope: !3, file: !3, line: 25, type: !88, scopeLine: 26, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !99)
!88 = !DISubroutineType(types: !89)
!89 = !{!28, !90}
!90 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !91, size: 64)
!91 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !92)
!92 = !{!93, !94, !95, !96, !97, !98}
!93 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !91, file: !6, line: 6101, baseType: !38, size: 32)
!94 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !91, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!95 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !91, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!96 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !91, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!97 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !91, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!98 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !91, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!99 = !{!100, !101, !102, !103, !117, !147, !148, !149, !152}
!100 = !DILocalVariable(name: "ctx", arg: 1, scope: !87, file: !3, line: 25, type: !90)
!101 = !DILocalVariable(name: "data", scope: !87, file: !3, line: 27, type: !15)
!102 = !DILocalVariable(name: "end", scope: !87, file: !3, line: 27, type: !15)
!103 = !DILocalVariable(name: "eth", scope: !87, file: !3, line: 28, type: !104)
!104 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !105, size: 64)
!105 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !106, line: 173, size: 112, elements: !107)
!106 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!107 = !{!108, !113, !114}
!108 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !105, file: !106, line: 174, baseType: !109, size: 48)
!109 = !DICompositeType(tag: DW_TAG_array_type, baseType: !110, size: 48, elements: !111)
!110 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!111 = !{!112}
!112 = !DISubrange(count: 6)
!113 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !105, file: !106, line: 175, baseType: !109, size: 48, offset: 48)
!114 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !105, file: !106, line: 176, baseType: !115, size: 16, offset: 96)
!115 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !116, line: 28, baseType: !17)
!116 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!117 = !DILocalVariable(name: "ip", scope: !87, file: !3, line: 29, type: !118)
!118 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !119, size: 64)
!119 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !120, line: 87, size: 160, elements: !121)
!120 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!121 = !{!122, !124, !125, !126, !127, !128, !129, !130, !131, !133}
!122 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !119, file: !120, line: 89, baseType: !123, size: 4, flags: DIFlagBitField, extraData: i64 0)
!123 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !110)
!124 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !119, file: !120, line: 90, baseType: !123, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!125 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !119, file: !120, line: 97, baseType: !123, size: 8, offset: 8)
!126 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !119, file: !120, line: 98, baseType: !115, size: 16, offset: 16)
!127 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !119, file: !120, line: 99, baseType: !115, size: 16, offset: 32)
!128 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !119, file: !120, line: 100, baseType: !115, size: 16, offset: 48)
!129 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !119, file: !120, line: 101, baseType: !123, size: 8, offset: 64)
!130 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !119, file: !120, line: 102, baseType: !123, size: 8, offset: 72)
!131 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !119, file: !120, line: 103, baseType: !132, size: 16, offset: 80)
!132 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !116, line: 34, baseType: !17)
!133 = !DIDerivedType(tag: DW_TAG_member, scope: !119, file: !120, line: 104, baseType: !134, size: 64, offset: 96)
!134 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !119, file: !120, line: 104, size: 64, elements: !135)
!135 = !{!136, !142}
!136 = !DIDerivedType(tag: DW_TAG_member, scope: !134, file: !120, line: 104, baseType: !137, size: 64)
!137 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !134, file: !120, line: 104, size: 64, elements: !138)
!138 = !{!139, !141}
!139 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !137, file: !120, line: 104, baseType: !140, size: 32)
!140 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !116, line: 30, baseType: !38)
!141 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !137, file: !120, line: 104, baseType: !140, size: 32, offset: 32)
!142 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !134, file: !120, line: 104, baseType: !143, size: 64)
!143 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !134, file: !120, line: 104, size: 64, elements: !144)
!144 = !{!145, !146}
!145 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !143, file: !120, line: 104, baseType: !140, size: 32)
!146 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !143, file: !120, line: 104, baseType: !140, size: 32, offset: 32)
!147 = !DILocalVariable(name: "daddr", scope: !87, file: !3, line: 32, type: !38)
!148 = !DILocalVariable(name: "hop", scope: !87, file: !3, line: 33, type: !40)
!149 = !DILocalVariable(name: "key", scope: !150, file: !3, line: 35, type: !58)
!150 = distinct !DILexicalBlock(scope: !151, file: !3, line: 34, column: 12)
!151 = distinct !DILexicalBlock(scope: !87, file: !3, line: 34, column: 6)
!152 = !DILocalVariable(name: "route", scope: !150, file: !3, line: 36, type: !40)
!153 = !DILocation(line: 0, scope: !87)
!154 = !DILocation(line: 27, column: 34, scope: !87)
!155 = !{!156, !157, i64 0}
!156 = !{!"xdp_md", !157, i64 0, !157, i64 4, !157, i64 8, !157, i64 12, !157, i64 16, !157, i64 20}
!157 = !{!"int", !158, i64 0}
!158 = !{!"omnipotent char", !159, i64 0}
!159 = !{!"Simple C/C++ TBAA"}
!160 = !DILocation(line: 27, column: 23, scope: !87)
!161 = !DILocation(line: 27, column: 66, scope: !87)
!162 = !{!156, !157, i64 4}
!163 = !DILocation(line: 27, column: 55, scope: !87)
!164 = !DILocation(line: 27, column: 47, scope: !87)
!165 = !DILocation(line: 28, column: 23, scope: !87)
!166 = !DILocation(line: 30, column: 18, scope: !167)
!167 = distinct !DILexicalBlock(scope: !87, file: !3, line: 30, column: 6)
!168 = !DILocation(line: 30, column: 23, scope: !167)
!169 = !DILocation(line: 30, column: 29, scope: !167)
!170 = !DILocation(line: 30, column: 37, scope: !167)
!171 = !{!172, !173, i64 12}
!172 = !{!"ethhdr", !158, i64 0, !158, i64 6, !173, i64 12}
!173 = !{!"short", !158, i64 0}
!174 = !DILocation(line: 30, column: 45, scope: !167)
!175 = !DILocation(line: 30, column: 6, scope: !87)
!176 = !DILocation(line: 32, column: 2, scope: !87)
!177 = !DILocation(line: 32, column: 20, scope: !87)
!178 = !{!158, !158, i64 0}
!179 = !DILocation(line: 32, column: 8, scope: !87)
!180 = !{!157, !157, i64 0}
!181 = !DILocation(line: 33, column: 20, scope: !87)
!182 = !DILocation(line: 34, column: 7, scope: !151)
!183 = !DILocation(line: 34, column: 6, scope: !87)
!184 = !DILocation(line: 35, column: 3, scope: !150)
!185 = !DILocation(line: 35, column: 18, scope: !150)
!186 = !DILocation(line: 35, column: 24, scope: !150)
!187 = !{!188, !157, i64 0}
!188 = !{!"lpm_key", !157, i64 0, !157, i64 4}
!189 = !DILocation(line: 35, column: 51, scope: !150)
!190 = !{!188, !157, i64 4}
!191 = !DILocation(line: 36, column: 23, scope: !150)
!192 = !DILocation(line: 0, scope: !150)
!193 = !DILocation(line: 37, column: 8, scope: !194)
!194 = distinct !DILexicalBlock(scope: !150, file: !3, line: 37, column: 7)
!195 = !DILocation(line: 37, column: 7, scope: !150)
!196 = !DILocation(line: 41, column: 2, scope: !151)
!197 = !DILocation(line: 39, column: 32, scope: !150)
!198 = !DILocation(line: 39, column: 3, scope: !150)
!199 = !DILocation(line: 42, column: 27, scope: !87)
!200 = !{!201, !157, i64 0}
!201 = !{!"hop", !157, i64 0, !157, i64 4}
!202 = !DILocation(line: 42, column: 9, scope: !87)
!203 = !DILocation(line: 42, column: 2, scope: !87)
!204 = !DILocation(line: 43, column: 1, scope: !87)
