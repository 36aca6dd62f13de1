; ModuleID = 'three_stages.c'
source_filename = "three_stages.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [3 x i32]*, [4 x i32]*, i32*, i32* }
%struct.anon.2 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.3 = type { [2 x i32]*, [1 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@slots = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !21
@blocked = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !40
@verdict = dso_local global %struct.anon.3 zeroinitializer, section ".maps", align 8, !dbg !56
@llvm.compiler.used = appending global [8 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.2* @blocked to i8*), i8* bitcast (%struct.anon* @slots to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @stage_entry to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @stage_filter to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @stage_forward to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @stage_loop to i8*), i8* bitcast (%struct.anon.3* @verdict to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @stage_entry(%struct.xdp_md* noundef %0) #0 section "xdp" !dbg !88 {
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !101, metadata !DIExpression()), !dbg !118
  %2 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !119
  %3 = load i32, i32* %2, align 4, !dbg !119, !tbaa !120
  %4 = zext i32 %3 to i64, !dbg !125
  call void @llvm.dbg.value(metadata i64 %4, metadata !102, metadata !DIExpression()), !dbg !118
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !126
  %6 = load i32, i32* %5, align 4, !dbg !126, !tbaa !127
  %7 = zext i32 %6 to i64, !dbg !128
  %8 = inttoptr i64 %7 to i8*, !dbg !129
  call void @llvm.dbg.value(metadata i8* %8, metadata !103, metadata !DIExpression()), !dbg !118
  %9 = inttoptr i64 %4 to %struct.ethhdr*, !dbg !130
  call void @llvm.dbg.value(metadata %struct.ethhdr* %9, metadata !104, metadata !DIExpression()), !dbg !118
  %10 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 1, i32 0, i64 0, !dbg !131
  %11 = icmp ugt i8* %10, %8, !dbg !133
  br i1 %11, label %19, label %12, !dbg !134

12:                                               ; preds = %1
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 0, i32 2, !dbg !135
  %14 = load i16, i16* %13, align 1, !dbg !135, !tbaa !137
  %15 = icmp eq i16 %14, 8, !dbg !140
  br i1 %15, label %16, label %19, !dbg !141

16:                                               ; preds = %12
  %17 = bitcast %struct.xdp_md* %0 to i8*, !dbg !142
  %18 = tail call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %17, i8* noundef bitcast (%struct.anon* @slots to i8*), i32 noundef 1) #3, !dbg !143
  br label %19, !dbg !144

19:                                               ; preds = %12, %1, %16
  %20 = phi i32 [ 2, %16 ], [ 1, %1 ], [ 2, %12 ], !dbg !118
  ret i32 %20, !dbg !145
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nounwind
define dso_local i32 @stage_filter(%struct.xdp_md* noundef %0) #0 section "xdp" !dbg !146 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !148, metadata !DIExpression()), !dbg !183
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !184
  %4 = load i32, i32* %3, align 4, !dbg !184, !tbaa !120
  %5 = zext i32 %4 to i64, !dbg !185
  call void @llvm.dbg.value(metadata i64 %5, metadata !149, metadata !DIExpression()), !dbg !183
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !186
  %7 = load i32, i32* %6, align 4, !dbg !186, !tbaa !127
  %8 = zext i32 %7 to i64, !dbg !187
  %9 = inttoptr i64 %8 to i8*, !dbg !188
  call void @llvm.dbg.value(metadata i8* %9, metadata !150, metadata !DIExpression()), !dbg !183
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !189
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !151, metadata !DIExpression()), !dbg !183
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !152, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !183
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 20, !dbg !190
  %12 = icmp ugt i8* %11, %9, !dbg !192
  br i1 %12, label %43, label %13, !dbg !193

13:                                               ; preds = %1
  %14 = bitcast i32* %2 to i8*, !dbg !194
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #3, !dbg !194
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 16, !dbg !195
  %16 = bitcast i8* %15 to i32*, !dbg !195
  %17 = load i32, i32* %16, align 4, !dbg !195, !tbaa !196
  call void @llvm.dbg.value(metadata i32 %17, metadata !182, metadata !DIExpression()), !dbg !183
  store i32 %17, i32* %2, align 4, !dbg !197, !tbaa !198
  call void @llvm.dbg.value(metadata i32* %2, metadata !182, metadata !DIExpression(DW_OP_deref)), !dbg !183
  %18 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @blocked to i8*), i8* noundef nonnull %14) #3, !dbg !199
  %19 = icmp eq i8* %18, null, !dbg !199
  br i1 %19, label %20, label %41, !dbg !201

20:                                               ; preds = %13
  %21 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 9, !dbg !202
  %22 = load i8, i8* %21, align 1, !dbg !202, !tbaa !204
  %23 = icmp eq i8 %22, 17, !dbg !206
  br i1 %23, label %24, label %31, !dbg !207

24:                                               ; preds = %20
  %25 = bitcast %struct.xdp_md* %0 to i8*, !dbg !208
  %26 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 1, !dbg !209
  %27 = load i8, i8* %26, align 1, !dbg !209, !tbaa !210
  %28 = and i8 %27, 3, !dbg !211
  %29 = zext i8 %28 to i32, !dbg !211
  %30 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %25, i8* noundef bitcast (%struct.anon* @slots to i8*), i32 noundef %29) #3, !dbg !212
  br label %31, !dbg !212

31:                                               ; preds = %24, %20
  %32 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 8, !dbg !213
  %33 = load i8, i8* %32, align 4, !dbg !213, !tbaa !215
  %34 = icmp eq i8 %33, 1, !dbg !216
  br i1 %34, label %35, label %38, !dbg !217

35:                                               ; preds = %31
  %36 = bitcast %struct.xdp_md* %0 to i8*, !dbg !218
  %37 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %36, i8* noundef bitcast (%struct.anon* @slots to i8*), i32 noundef 3) #3, !dbg !219
  br label %38, !dbg !219

38:                                               ; preds = %31, %35
  %39 = bitcast %struct.xdp_md* %0 to i8*, !dbg !220
  %40 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %39, i8* noundef bitcast (%struct.anon* @slots to i8*), i32 noundef 2) #3, !dbg !221
  br label %41, !dbg !222

41:                                               ; preds = %13, %38
  %42 = phi i32 [ 2, %38 ], [ 1, %13 ], !dbg !183
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #3, !dbg !223
  br label %43

43:                                               ; preds = %1, %41
  %44 = phi i32 [ %42, %41 ], [ 1, %1 ], !dbg !183
  ret i32 %44, !dbg !223
}

; Function Attrs: nounwind
define dso_local i32 @stage_forward(%struct.xdp_md* nocapture readnone %0) #0 section "xdp" !dbg !224 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* undef, metadata !226, metadata !DIExpression()), !dbg !229
  %3 = bitcast i32* %2 to i8*, !dbg !230
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %3) #3, !dbg !230
  call void @llvm.dbg.value(metadata i32 0, metadata !227, metadata !DIExpression()), !dbg !229
  store i32 0, i32* %2, align 4, !dbg !231, !tbaa !198
  call void @llvm.dbg.value(metadata i32* %2, metadata !227, metadata !DIExpression(DW_OP_deref)), !dbg !229
  %4 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.3* @verdict to i8*), i8* noundef nonnull %3) #3, !dbg !232
  call void @llvm.dbg.value(metadata i8* %4, metadata !228, metadata !DIExpression()), !dbg !229
  %5 = icmp eq i8* %4, null, !dbg !233
  br i1 %5, label %9, label %6, !dbg !233

6:                                                ; preds = %1
  %7 = bitcast i8* %4 to i32*, !dbg !232
  call void @llvm.dbg.value(metadata i32* %7, metadata !228, metadata !DIExpression()), !dbg !229
  %8 = load i32, i32* %7, align 4, !dbg !234, !tbaa !198
  br label %9, !dbg !233

9:                                                ; preds = %1, %6
  %10 = phi i32 [ %8, %6 ], [ 3, %1 ], !dbg !233
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %3) #3, !dbg !235
  ret i32 %10, !dbg !236
}

; Function Attrs: nounwind
define dso_local i32 @stage_loop(%struct.xdp_md* noundef %0) #0 section "xdp" !dbg !237 {
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !239, metadata !DIExpression()), !dbg !240
  %2 = bitcast %struct.xdp_md* %0 to i8*, !dbg !241
  %3 = tail call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %2, i8* noundef bitcast (%struct.anon* @slots to i8*), i32 noundef 3) #3, !dbg !242
  ret i32 0, !dbg !243
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #2

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!83, !84, !85, !86}
!llvm.ident = !{!87}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 9, type: !81, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "three_stages.c", directory: ".", checksumkind: CSK_MD5, checksum: "97ccb5b23f11c776f81dcf0babab62ce")
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
!20 = !{!0, !21, !40, !56, !68, !74}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "slots", scope: !2, file: !3, line: 11, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 11, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 11, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 96, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 3)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 11, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 128, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 4)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 11, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 11, baseType: !37, size: 64, offset: 192)
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "blocked", scope: !2, file: !3, line: 12, type: !42, isLocal: false, isDefinition: true)
!42 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 12, size: 256, elements: !43)
!43 = !{!44, !49, !54, !55}
!44 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !42, file: !3, line: 12, baseType: !45, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !46, size: 64)
!46 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !47)
!47 = !{!48}
!48 = !DISubrange(count: 1)
!49 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !42, file: !3, line: 12, baseType: !50, size: 64, offset: 64)
!50 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !51, size: 64)
!51 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 512, elements: !52)
!52 = !{!53}
!53 = !DISubrange(count: 16)
!54 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !42, file: !3, line: 12, baseType: !37, size: 64, offset: 128)
!55 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !42, file: !3, line: 12, baseType: !37, size: 64, offset: 192)
!56 = !DIGlobalVariableExpression(var: !57, expr: !DIExpression())
!57 = distinct !DIGlobalVariable(name: "verdict", scope: !2, file: !3, line: 13, type: !58, isLocal: false, isDefinition: true)
!58 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 13, size: 256, elements: !59)
!59 = !{!60, !65, !66, !67}
!60 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !58, file: !3, line: 13, baseType: !61, size: 64)
!61 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !62, size: 64)
!62 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 64, elements: !63)
!63 = !{!64}
!64 = !DISubrange(count: 2)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !58, file: !3, line: 13, baseType: !45, size: 64, offset: 64)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !58, file: !3, line: 13, baseType: !37, size: 64, offset: 128)
!67 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !58, file: !3, line: 13, baseType: !37, size: 64, offset: 192)
!68 = !DIGlobalVariableExpression(var: !69, expr: !DIExpression())
!69 = distinct !DIGlobalVariable(name: "bpf_tail_call", scope: !2, file: !70, line: 327, type: !71, isLocal: true, isDefinition: true)
!70 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!71 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !72, size: 64)
!72 = !DISubroutineType(types: !73)
!73 = !{!16, !15, !15, !38}
!74 = !DIGlobalVariableExpression(var: !75, expr: !DIExpression())
!75 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !70, line: 56, type: !76, isLocal: true, isDefinition: true)
!76 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !77, size: 64)
!77 = !DISubroutineType(types: !78)
!78 = !{!15, !15, !79}
!79 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !80, size: 64)
!80 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!81 = !DICompositeType(tag: DW_TAG_array_type, baseType: !82, size: 32, elements: !34)
!82 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!83 = !{i32 7, !"Dwarf Version", i32 5}
!84 = !{i32 2, !"Debug Info Version", i32 3}
!85 = !{i32 1, !"wchar_size", i32 4}
!86 = !{i32 7, !"frame-pointer", i32 2}
!87 = !{!"Debian clang version 14.0.6"}
!88 = distinct !DISubprogram(name: "stage_entry", scope: !3, file: !3, line: 16, type: !89, scopeLine: 17, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !100)
!89 = !DISubroutineType(types: !90)
!90 = !{!28, !91}
!91 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !92, size: 64)
!92 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !93)
!93 = !{!94, !95, !96, !97, !98, !99}
!94 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !92, file: !6, line: 6101, baseType: !38, size: 32)
!95 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !92, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!96 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !92, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!97 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !92, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!98 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !92, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!99 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !92, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!100 = !{!101, !102, !103, !104}
!101 = !DILocalVariable(name: "ctx", arg: 1, scope: !88, file: !3, line: 16, type: !91)
!102 = !DILocalVariable(name: "data", scope: !88, file: !3, line: 18, type: !15)
!103 = !DILocalVariable(name: "end", scope: !88, file: !3, line: 18, type: !15)
!104 = !DILocalVariable(name: "eth", scope: !88, file: !3, line: 19, type: !105)
!105 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !106, size: 64)
!106 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !107, line: 173, size: 112, elements: !108)
!107 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!108 = !{!109, !114, !115}
!109 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !106, file: !107, line: 174, baseType: !110, size: 48)
!110 = !DICompositeType(tag: DW_TAG_array_type, baseType: !111, size: 48, elements: !112)
!111 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!112 = !{!113}
!113 = !DISubrange(count: 6)
!114 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !106, file: !107, line: 175, baseType: !110, size: 48, offset: 48)
!115 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !106, file: !107, line: 176, baseType: !116, size: 16, offset: 96)
!116 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !117, line: 28, baseType: !17)
!117 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!118 = !DILocation(line: 0, scope: !88)
!119 = !DILocation(line: 18, column: 34, scope: !88)
!120 = !{!121, !122, i64 0}
!121 = !{!"xdp_md", !122, i64 0, !122, i64 4, !122, i64 8, !122, i64 12, !122, i64 16, !122, i64 20}
!122 = !{!"int", !123, i64 0}
!123 = !{!"omnipotent char", !124, i64 0}
!124 = !{!"Simple C/C++ TBAA"}
!125 = !DILocation(line: 18, column: 23, scope: !88)
!126 = !DILocation(line: 18, column: 66, scope: !88)
!127 = !{!121, !122, i64 4}
!128 = !DILocation(line: 18, column: 55, scope: !88)
!129 = !DILocation(line: 18, column: 47, scope: !88)
!130 = !DILocation(line: 19, column: 23, scope: !88)
!131 = !DILocation(line: 20, column: 6, scope: !132)
!132 = distinct !DILexicalBlock(scope: !88, file: !3, line: 20, column: 6)
!133 = !DILocation(line: 20, column: 24, scope: !132)
!134 = !DILocation(line: 20, column: 6, scope: !88)
!135 = !DILocation(line: 22, column: 11, scope: !136)
!136 = distinct !DILexicalBlock(scope: !88, file: !3, line: 22, column: 6)
!137 = !{!138, !139, i64 12}
!138 = !{!"ethhdr", !123, i64 0, !123, i64 6, !139, i64 12}
!139 = !{!"short", !123, i64 0}
!140 = !DILocation(line: 22, column: 19, scope: !136)
!141 = !DILocation(line: 22, column: 6, scope: !88)
!142 = !DILocation(line: 24, column: 16, scope: !88)
!143 = !DILocation(line: 24, column: 2, scope: !88)
!144 = !DILocation(line: 25, column: 2, scope: !88)
!145 = !DILocation(line: 26, column: 1, scope: !88)
!146 = distinct !DISubprogram(name: "stage_filter", scope: !3, file: !3, line: 29, type: !89, scopeLine: 30, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !147)
!147 = !{!148, !149, !150, !151, !152, !182}
!148 = !DILocalVariable(name: "ctx", arg: 1, scope: !146, file: !3, line: 29, type: !91)
!149 = !DILocalVariable(name: "data", scope: !146, file: !3, line: 31, type: !15)
!150 = !DILocalVariable(name: "end", scope: !146, file: !3, line: 31, type: !15)
!151 = !DILocalVariable(name: "eth", scope: !146, file: !3, line: 32, type: !105)
!152 = !DILocalVariable(name: "ip", scope: !146, file: !3, line: 33, type: !153)
!153 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !154, size: 64)
!154 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !155, line: 87, size: 160, elements: !156)
!155 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!156 = !{!157, !159, !160, !161, !162, !163, !164, !165, !166, !168}
!157 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !154, file: !155, line: 89, baseType: !158, size: 4, flags: DIFlagBitField, extraData: i64 0)
!158 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !111)
!159 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !154, file: !155, line: 90, baseType: !158, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!160 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !154, file: !155, line: 97, baseType: !158, size: 8, offset: 8)
!161 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !154, file: !155, line: 98, baseType: !116, size: 16, offset: 16)
!162 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !154, file: !155, line: 99, baseType: !116, size: 16, offset: 32)
!163 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !154, file: !155, line: 100, baseType: !116, size: 16, offset: 48)
!164 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !154, file: !155, line: 101, baseType: !158, size: 8, offset: 64)
!165 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !154, file: !155, line: 102, baseType: !158, size: 8, offset: 72)
!166 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !154, file: !155, line: 103, baseType: !167, size: 16, offset: 80)
!167 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !117, line: 34, baseType: !17)
!168 = !DIDerivedType(tag: DW_TAG_member, scope: !154, file: !155, line: 104, baseType: !169, size: 64, offset: 96)
!169 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !154, file: !155, line: 104, size: 64, elements: !170)
!170 = !{!171, !177}
!171 = !DIDerivedType(tag: DW_TAG_member, scope: !169, file: !155, line: 104, baseType: !172, size: 64)
!172 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !169, file: !155, line: 104, size: 64, elements: !173)
!173 = !{!174, !176}
!174 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !172, file: !155, line: 104, baseType: !175, size: 32)
!175 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !117, line: 30, baseType: !38)
!176 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !172, file: !155, line: 104, baseType: !175, size: 32, offset: 32)
!177 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !169, file: !155, line: 104, baseType: !178, size: 64)
!178 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !169, file: !155, line: 104, size: 64, elements: !179)
!179 = !{!180, !181}
!180 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !178, file: !155, line: 104, baseType: !175, size: 32)
!181 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !178, file: !155, line: 104, baseType: !175, size: 32, offset: 32)
!182 = !DILocalVariable(name: "daddr", scope: !146, file: !3, line: 36, type: !38)
!183 = !DILocation(line: 0, scope: !146)
!184 = !DILocation(line: 31, column: 34, scope: !146)
!185 = !DILocation(line: 31, column: 23, scope: !146)
!186 = !DILocation(line: 31, column: 66, scope: !146)
!187 = !DILocation(line: 31, column: 55, scope: !146)
!188 = !DILocation(line: 31, column: 47, scope: !146)
!189 = !DILocation(line: 32, column: 23, scope: !146)
!190 = !DILocation(line: 34, column: 18, scope: !191)
!191 = distinct !DILexicalBlock(scope: !146, file: !3, line: 34, column: 6)
!192 = !DILocation(line: 34, column: 23, scope: !191)
!193 = !DILocation(line: 34, column: 6, scope: !146)
!194 = !DILocation(line: 36, column: 2, scope: !146)
!195 = !DILocation(line: 36, column: 20, scope: !146)
!196 = !{!123, !123, i64 0}
!197 = !DILocation(line: 36, column: 8, scope: !146)
!198 = !{!122, !122, i64 0}
!199 = !DILocation(line: 37, column: 6, scope: !200)
!200 = distinct !DILexicalBlock(scope: !146, file: !3, line: 37, column: 6)
!201 = !DILocation(line: 37, column: 6, scope: !146)
!202 = !DILocation(line: 39, column: 10, scope: !203)
!203 = distinct !DILexicalBlock(scope: !146, file: !3, line: 39, column: 6)
!204 = !{!205, !123, i64 9}
!205 = !{!"iphdr", !123, i64 0, !123, i64 0, !123, i64 1, !139, i64 2, !139, i64 4, !139, i64 6, !123, i64 8, !123, i64 9, !139, i64 10, !123, i64 12}
!206 = !DILocation(line: 39, column: 19, scope: !203)
!207 = !DILocation(line: 39, column: 6, scope: !146)
!208 = !DILocation(line: 40, column: 17, scope: !203)
!209 = !DILocation(line: 40, column: 34, scope: !203)
!210 = !{!205, !123, i64 1}
!211 = !DILocation(line: 40, column: 38, scope: !203)
!212 = !DILocation(line: 40, column: 3, scope: !203)
!213 = !DILocation(line: 41, column: 10, scope: !214)
!214 = distinct !DILexicalBlock(scope: !146, file: !3, line: 41, column: 6)
!215 = !{!205, !123, i64 8}
!216 = !DILocation(line: 41, column: 14, scope: !214)
!217 = !DILocation(line: 41, column: 6, scope: !146)
!218 = !DILocation(line: 42, column: 17, scope: !214)
!219 = !DILocation(line: 42, column: 3, scope: !214)
!220 = !DILocation(line: 43, column: 16, scope: !146)
!221 = !DILocation(line: 43, column: 2, scope: !146)
!222 = !DILocation(line: 44, column: 2, scope: !146)
!223 = !DILocation(line: 45, column: 1, scope: !146)
!224 = distinct !DISubprogram(name: "stage_forward", scope: !3, file: !3, line: 48, type: !89, scopeLine: 49, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !225)
!225 = !{!226, !227, !228}
!226 = !DILocalVariable(name: "ctx", arg: 1, scope: !224, file: !3, line: 48, type: !91)
!227 = !DILocalVariable(name: "zero", scope: !224, file: !3, line: 50, type: !38)
!228 = !DILocalVariable(name: "action", scope: !224, file: !3, line: 51, type: !37)
!229 = !DILocation(line: 0, scope: !224)
!230 = !DILocation(line: 50, column: 2, scope: !224)
!231 = !DILocation(line: 50, column: 8, scope: !224)
!232 = !DILocation(line: 51, column: 18, scope: !224)
!233 = !DILocation(line: 52, column: 9, scope: !224)
!234 = !DILocation(line: 52, column: 18, scope: !224)
!235 = !DILocation(line: 53, column: 1, scope: !224)
!236 = !DILocation(line: 52, column: 2, scope: !224)
!237 = distinct !DISubprogram(name: "stage_loop", scope: !3, file: !3, line: 56, type: !89, scopeLine: 57, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !238)
!238 = !{!239}
!239 = !DILocalVariable(name: "ctx", arg: 1, scope: !237, file: !3, line: 56, type: !91)
!240 = !DILocation(line: 0, scope: !237)
!241 = !DILocation(line: 58, column: 16, scope: !237)
!242 = !DILocation(line: 58, column: 2, scope: !237)
!243 = !DILocation(line: 59, column: 2, scope: !237)
